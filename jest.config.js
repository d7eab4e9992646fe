/**
 * NestJS 12 ships ES modules only, and Jest's CommonJS runtime cannot require() them on Node 20, so
 * tests run in Jest's native ESM mode (`--experimental-vm-modules`, see package.json) with ts-jest
 * compiling our TypeScript to ES modules. The production build stays CommonJS (Node 20 require(esm)).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', useESM: true }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};
