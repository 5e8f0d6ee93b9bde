/**
 * Import circles, type-only imports included: a circle of types still ties two modules so that
 * neither can be read (or moved) without the other. The layer allow-list itself is lint's
 * (`.eslint/layers.js`); this file only forbids circles.
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules import each other (possibly through others): move the shared types to a model or deps file.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|data|artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
