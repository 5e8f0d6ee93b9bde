/** Sample tickets shared by the encoder, transport and virtual printer tests. */
import type { Language } from '../../core/shared/model.ts';
import type { TicketPrint } from './escpos.encoder.ts';

export const sampleTickets: Readonly<Record<Language, TicketPrint>> = {
  cs: {
    officeName: 'Úřad městské části Praha 3',
    serviceName: 'Občanské průkazy a cestovní doklady',
    number: 'A017',
    issuedAt: '23. 11. 2026 8:59',
    ahead: 4,
    estimatedWaitMin: 12,
    statusUrl: 'https://fronta.example/t/7Kq2mZx9',
    footer: 'Příliš žluťoučký kůň úpěl ďábelské ódy. ĚŠČŘŽÝÁÍÉŮÚŤĎŇ',
    labels: { ahead: 'Před vámi', wait: 'Odhad čekání', minutes: 'min', waitUnknown: 'nelze odhadnout', scan: 'Stav fronty sledujte v mobilu' },
  },
  ro: {
    officeName: 'Primăria Municipiului Iași',
    serviceName: 'Înmatriculări și permise',
    number: 'B105',
    issuedAt: '23.11.2026 09:14',
    ahead: 0,
    estimatedWaitMin: null,
    statusUrl: 'https://fronta.example/t/Rr0Ăsk',
    footer: 'Vă mulțumim! ȘȚ șț Ăă Ââ Îî',
    labels: { ahead: 'Înaintea dvs.', wait: 'Așteptare estimată', minutes: 'min', waitUnknown: 'necunoscută', scan: 'Scanați pentru a urmări rândul' },
  },
  'zh-CN': {
    officeName: '曲靖市政务服务中心',
    serviceName: '机动车登记 𠮷',
    number: 'C003',
    issuedAt: '2026-11-23 09:30',
    ahead: 27,
    estimatedWaitMin: 45,
    statusUrl: 'https://fronta.example/t/q8Zr',
    footer: '请妥善保管号票，过号请重新取号。',
    labels: { ahead: '前面等待', wait: '预计等待', minutes: '分钟', waitUnknown: '未知', scan: '扫码查看排队进度' },
  },
  en: {
    officeName: 'City Hall',
    serviceName: 'Vehicle registration',
    number: 'D042',
    issuedAt: '23 Nov 2026, 10:02',
    ahead: 1,
    estimatedWaitMin: 3,
    statusUrl: 'https://fronta.example/t/EnX1',
    footer: 'Thank you for waiting.',
    labels: { ahead: 'Ahead of you', wait: 'Estimated wait', minutes: 'min', waitUnknown: 'unknown', scan: 'Scan to follow your turn' },
  },
};

/** The line a booked arrival's ticket carries under its number, as the host translates it. */
export const sampleBookedLines: Readonly<Record<Language, string>> = {
  cs: 'Rezervace na 10:30',
  ro: 'Programare la 10:30',
  'zh-CN': '预约 10:30',
  en: 'Booked for 10:30',
};
