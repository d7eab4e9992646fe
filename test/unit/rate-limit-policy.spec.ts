import { limitOf, type RateLimitPolicy } from '../../src/common/http/rate-limit';
import { ConfigError, TesseraConfig } from '../../src/config/tessera-config';

const policyOf = (env: Record<string, string>): RateLimitPolicy => {
  const c = TesseraConfig.fromEnv(env);
  return { perMinute: c.rateLimitPerMinute, roles: c.rateLimitRoles, principals: c.rateLimitPrincipals };
};
const caller = (id: string, ...roles: string[]) => ({ id, roles: roles.map((role) => ({ role })) });

describe('rate limits per role and per principal (issue 16)', () => {
  it('by default sizes model services for serving and keeps the protective default for everyone else', () => {
    const policy = policyOf({});
    expect(policy.perMinute).toBe(6000);
    // 3,000,000 a minute is 50,000 a second: above what this 2-core machine answers at all (docs/benchmarks.md).
    expect(limitOf(caller('service:scorer', 'model_service'), policy)).toBe(3_000_000);
    expect(limitOf(caller('person:alice', 'consumer'), policy)).toBe(6000);
    expect(limitOf(caller('person:root', 'admin'), policy)).toBe(6000);
    expect(limitOf(undefined, policy)).toBe(6000);
  });

  it('takes a principal of its own over its roles, the largest of several roles, and 0 as unlimited', () => {
    const policy = policyOf({ TESSERA_RATE_LIMIT_PER_MINUTE: '100', TESSERA_RATE_LIMIT_ROLES: 'consumer=200, model_service=5000,admin=0', TESSERA_RATE_LIMIT_PRINCIPALS: 'service:batch=50,service:vip=0' });
    expect(limitOf(caller('service:a', 'consumer'), policy)).toBe(200);
    expect(limitOf(caller('service:b', 'consumer', 'model_service'), policy)).toBe(5000);
    expect(limitOf(caller('service:batch', 'model_service'), policy)).toBe(50);
    expect(limitOf(caller('service:vip', 'consumer'), policy)).toBe(Infinity);
    expect(limitOf(caller('person:root', 'admin', 'consumer'), policy)).toBe(Infinity);
    expect(limitOf(caller('person:bob', 'domain_member'), policy)).toBe(100);
    // An empty role table leaves model services at the default: the operator asked for it.
    expect(limitOf(caller('service:scorer', 'model_service'), policyOf({ TESSERA_RATE_LIMIT_ROLES: ' ' }))).toBe(6000);
  });

  it.each([
    ['TESSERA_RATE_LIMIT_ROLES', 'model_servce=10', /TESSERA_RATE_LIMIT_ROLES: "model_servce=10" is not role=requests per minute/],
    ['TESSERA_RATE_LIMIT_ROLES', 'consumer=-1', /"consumer=-1" is not role=requests per minute/],
    ['TESSERA_RATE_LIMIT_ROLES', 'consumer=1.5', /"consumer=1.5" is not role=/],
    ['TESSERA_RATE_LIMIT_ROLES', 'consumer', /"consumer" is not role=/],
    ['TESSERA_RATE_LIMIT_PRINCIPALS', 'service:a=1=2', /TESSERA_RATE_LIMIT_PRINCIPALS: "service:a=1=2" is not principal id=requests per minute/],
    ['TESSERA_RATE_LIMIT_PRINCIPALS', 'service:a=many', /"service:a=many" is not principal id=/],
  ])('refuses %s=%s naming the pair', (name, value, message) => {
    let error: unknown;
    try {
      TesseraConfig.fromEnv({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(message);
  });
});
