import { Alert } from '@mantine/core';
import type { ApiError } from '../lib/api';

export function Failure({ error }: { error: ApiError }) {
  return (
    <Alert color="red" role="alert" title={error.code}>
      {error.message}
    </Alert>
  );
}
