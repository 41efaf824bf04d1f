// The dependency rules of docs/architecture.md, checked by `npm test` (scripts/run.mjs) before the tests run:
// no import circle in any package's src, and packages depend downward only:
//   @smppkit/encoding  imports nothing of ours
//   @smppkit/core      imports nothing of ours
//   @smppkit/smsc-sim and @smppkit/esme-client import core and encoding, never each other
// A package's tests and benches follow its rule; the root test/ and bench/ folders may import every package.
// Run by hand (after a build, so that @smppkit/* resolve): node node_modules/dependency-cruiser/bin/dependency-cruise.mjs \
//   --config .dependency-cruiser.cjs packages/*/src packages/*/test packages/*/bench test

const OURS = '^packages/(encoding|smpp-core|smsc-sim|esme-client)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle in a package: split what both sides need into a module both import.',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
    {
      name: 'encoding-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^packages/encoding/' },
      to: { path: OURS, pathNot: '^packages/encoding/' },
    },
    {
      name: 'core-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^packages/smpp-core/' },
      to: { path: OURS, pathNot: '^packages/smpp-core/' },
    },
    {
      name: 'sim-imports-core-and-encoding-only',
      severity: 'error',
      from: { path: '^packages/smsc-sim/' },
      to: { path: '^packages/esme-client/' },
    },
    {
      name: 'client-imports-core-and-encoding-only',
      severity: 'error',
      from: { path: '^packages/esme-client/' },
      to: { path: '^packages/smsc-sim/' },
    },
    {
      name: 'nothing-imports-the-root-tests',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    // @smppkit/* resolve (through the workspace links) to packages/<name>/dist: counted as that package, not followed
    doNotFollow: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true, // type-only imports count: a circle of types is a circle
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'], mainFields: ['types', 'main'] },
    combinedDependencies: false,
  },
};
