/**
 * The newer-only write of one (entity, view) entry, atomic because Redis runs a script alone.
 * KEYS[1] entry key. ARGV: 1 value, 2 event ms, 3 created ms ('' = none), 4 layout id, 5 expire-at
 * ms ('' = never). The stored value starts with "<eventMs>|<createdMs>|<layout>|" (online-redis-keys.ts),
 * so the comparison reads a short prefix and never decodes the vector.
 * Returns 1 when written, 0 when what the store holds is newer or the same.
 * An equal (event, created) pair with another layout is written: it is the same row re-materialized
 * after features were appended to the view.
 */
export const ONLINE_WRITE_LUA = `
local old = redis.call('GET', KEYS[1])
if old then
  local oe, oc, ol = string.match(old, '^(%-?%d+)|(%-?%d*)|([^|]*)|')
  if oe then
    local ne, oev = tonumber(ARGV[2]), tonumber(oe)
    if ne < oev then return 0 end
    if ne == oev then
      local nc = ARGV[3]
      if nc == '' and oc ~= '' then return 0 end
      if nc ~= '' and oc ~= '' then
        local a, b = tonumber(nc), tonumber(oc)
        if a < b then return 0 end
        if a == b and ol == ARGV[4] then return 0 end
      elseif nc == '' and oc == '' and ol == ARGV[4] then
        return 0
      end
    end
  end
end
if ARGV[5] ~= '' then
  redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[5])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1
`;

/** Name under which the script is defined on the client (ioredis defineCommand: EVALSHA, EVAL on NOSCRIPT). */
export const ONLINE_WRITE_COMMAND = 'tesseraOnlineWrite';

export type OnlineWriteArgs = [key: string, value: string, eventMs: string, createdMs: string, layout: string, expireAtMs: string];

/** The command as ioredis adds it to a client or pipeline (defineCommand is untyped). */
export interface OnlineWriteCommander {
  tesseraOnlineWrite(...args: OnlineWriteArgs): Promise<number>;
}
