import { TesseraConfig } from '../config/tessera-config';

/**
 * Who is calling, for registered_by / stage_changed_by. Until the governance issue brings
 * per-principal API keys, the admin key (checked by the onRequest hook) is the only identity.
 * TODO(governance issue): take the authenticated principal from the request.
 */
export function callerOf(config: TesseraConfig): string {
  return config.adminKey ? 'admin' : 'anonymous';
}
