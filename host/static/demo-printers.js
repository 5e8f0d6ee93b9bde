// The virtual printers' paper and cover switches (a file, not inline: the host's CSP allows scripts from files only).
for (const b of document.querySelectorAll('button[data-device]')) {
  b.addEventListener('click', async () => {
    await fetch('/demo/printers/' + encodeURIComponent(b.dataset.device) + '/condition', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ [b.dataset.key]: b.dataset.value === 'true' }),
    });
    location.reload();
  });
}
setTimeout(() => location.reload(), 4000);
