import { parseContractFiles } from '../../../src/catalog/contracts/documents/parse-documents';
import { validateDocuments } from '../../../src/catalog/contracts/documents/validate-documents';
import { celCompileError, compiledRuleCount, compileRule, evaluateRule } from '../../../src/governance/policies/cel-program';
import { bindingsOf, contract, product } from './policy-fixtures';

const policyDoc = (rule: string): string => `
apiVersion: tessera/v1
kind: Policy
name: broken
title: Broken
category: security
severity: blocking
context: c
decision: d
consequences: e
rule: ${JSON.stringify(rule)}
`;

describe('CEL policy rules', () => {
  const b = bindingsOf(product(), contract());

  it('a rule that does not compile is an apply error on `rule` with CEL’s message', () => {
    const parsed = parseContractFiles([{ path: 'contracts/policies/broken.yaml', content: policyDoc('product.owner ==') }]);
    const v = validateDocuments(parsed.docs);
    expect(v.documents).toEqual([]);
    expect(v.issues).toHaveLength(1);
    expect(v.issues[0]).toMatchObject({ file: 'contracts/policies/broken.yaml', docIndex: 0, path: 'rule', severity: 'error' });
    expect(v.issues[0].message).toMatch(/^does not compile as CEL: .*found = but expecting/);
  });

  it('compiles each rule once (cache by source)', () => {
    const rule = `product.id == 'cache-probe-${Date.now()}'`;
    expect(celCompileError(rule)).toBeNull();
    const n = compiledRuleCount();
    const first = compileRule(rule);
    expect(compileRule(rule)).toBe(first);
    expect(compiledRuleCount()).toBe(n);
  });

  it('an evaluation error is an `error` outcome with the message, not an exception', () => {
    expect(evaluateRule('product.no_such_field == 1', b, 'm')).toEqual({ outcome: 'error', violations: [], error: expect.stringContaining('no_such_field') });
    expect(evaluateRule('1 / 0 == 1', b, 'm')).toMatchObject({ outcome: 'error' });
  });

  it('a rule must return a bool or a list of violations', () => {
    expect(evaluateRule("'yes'", b, 'm')).toEqual({ outcome: 'error', violations: [], error: 'rule must return a bool or a list of violations, got string' });
    expect(evaluateRule('[1]', b, 'm')).toMatchObject({ outcome: 'error' });
  });

  it('false uses the policy message and path; lists give one violation per entry', () => {
    expect(evaluateRule('false', b, 'why', 'where')).toEqual({ outcome: 'fail', violations: [{ path: 'where', reason: 'why' }] });
    expect(evaluateRule("['a', {'path': 'b', 'reason': 'r'}]", b, 'why')).toEqual({
      outcome: 'fail',
      violations: [
        { path: 'a', reason: 'why' },
        { path: 'b', reason: 'r' },
      ],
    });
    expect(evaluateRule('[]', b, 'why')).toEqual({ outcome: 'pass', violations: [] });
  });

  it('exposes product, ports, contracts by port, properties and changes', () => {
    expect(evaluateRule("product.domain == 'shop' && product.owner == 'ada' && ports[0].contract.id == 'shop-orders-v1'", b, 'm').outcome).toBe('pass');
    expect(evaluateRule("contracts['orders'].sla['availability'] == 99.9 && size(properties) == 2 && changes[0].impact == 'INITIAL'", b, 'm').outcome).toBe('pass');
    expect(evaluateRule("properties.exists(p, p.name == 'customer_email' && p.classification == 'internal')", b, 'm').outcome).toBe('pass');
  });
});
