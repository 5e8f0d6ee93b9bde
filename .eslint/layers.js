// Layer zones of ARCHITECTURE.md, enforced on every relative import: a file in folder X may
// import project files only from the folders X is allowed. npm packages are checked separately
// (no-restricted-imports in eslint.config.js) for core/ and the browser folders.
import path from 'node:path';

export const ALLOWED = {
  core: ['core'],
  locales: [],
  contracts: ['contracts', 'core'],
  store: ['store', 'core'],
  drivers: ['drivers', 'core', 'contracts'],
  server: ['server', 'core', 'contracts', 'locales'],
  host: ['host', 'core', 'contracts', 'store', 'drivers', 'server', 'locales'],
  main: ['main', 'drivers', 'host', 'contracts'],
  renderer: ['renderer', 'contracts', 'locales'],
  test: null, // anything
  bench: null,
  bin: null,
};

const topFolder = (root, file) => path.relative(root, file).split(path.sep)[0];

export default {
  rules: {
    'layers': {
      meta: {
        type: 'problem',
        docs: { description: 'enforce the layer zones of ARCHITECTURE.md' },
        schema: [],
        messages: { forbidden: '{{from}}/ may not import from {{to}}/ (allowed: {{allowed}})' },
      },
      create(context) {
        const root = context.cwd;
        const file = context.filename;
        const from = topFolder(root, file);
        const allowed = ALLOWED[from];
        // Unit tests next to the code may import test helpers; everything else follows its folder.
        if (allowed === undefined || allowed === null) return {};
        const check = (node, spec) => {
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const to = topFolder(root, path.resolve(path.dirname(file), spec));
          const ok = allowed.includes(to) || (file.endsWith('.test.ts') && to === 'test');
          if (!ok) context.report({ node, messageId: 'forbidden', data: { from, to, allowed: allowed.join(', ') || 'nothing' } });
        };
        return {
          ImportDeclaration: (n) => check(n, n.source.value),
          ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
          ExportAllDeclaration: (n) => check(n, n.source.value),
          ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
        };
      },
    },
  },
};
