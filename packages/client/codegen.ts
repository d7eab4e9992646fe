import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations from the committed schema: `npm run codegen -w @tessera/client`; a test runs `codegen:check`.
const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**/*'],
  generates: {
    './src/gql/': {
      preset: 'client',
      config: { documentMode: 'string', useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' } },
      presetConfig: { fragmentMasking: false },
    },
  },
  ignoreNoDocuments: false,
};
export default config;
