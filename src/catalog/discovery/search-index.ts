import { EntityManager } from 'typeorm';

/**
 * Rebuilds the full-text vector of every data product in one statement: names (A), tags, field names
 * and glossary terms that name the product (B), descriptions and domain (C), field descriptions (D).
 * Field names are indexed as written and with underscores as spaces, so `conv_rate` and `conv rate`
 * both find a product. One statement over the whole catalog keeps it simple; at tens of thousands of
 * products this should become incremental (TODO once a catalog that large exists).
 */
export async function refreshSearchIndex(m: EntityManager): Promise<void> {
  await m.query(`
    UPDATE tessera.data_products p SET search =
      setweight(to_tsvector('english', concat_ws(' ', p.name, p.id, replace(p.id, '-', ' '))), 'A') ||
      setweight(to_tsvector('english', array_to_string(p.tags, ' ')), 'B') ||
      setweight(to_tsvector('english', coalesce((
        SELECT string_agg(concat_ws(' ', prop->>'name', replace(prop->>'name', '_', ' '), prop->>'businessName'), ' ')
        FROM tessera.output_ports op
        JOIN tessera.data_contracts c ON c.id = op.contract_id
        CROSS JOIN LATERAL jsonb_array_elements(coalesce(c.normalized->'schema', '[]'::jsonb)) obj
        CROSS JOIN LATERAL jsonb_array_elements(coalesce(obj->'properties', '[]'::jsonb)) prop
        WHERE op.product_id = p.id), '')), 'B') ||
      setweight(to_tsvector('english', coalesce((
        SELECT string_agg(concat_ws(' ', t.term, array_to_string(t.synonyms, ' ')), ' ')
        FROM tessera.glossary_terms t WHERE p.id = ANY (t.products)), '')), 'B') ||
      setweight(to_tsvector('english', concat_ws(' ', p.purpose, p.limitations, p.usage, p.domain)), 'C') ||
      setweight(to_tsvector('english', coalesce((
        SELECT string_agg(concat_ws(' ', obj->>'description', prop->>'description'), ' ')
        FROM tessera.output_ports op
        JOIN tessera.data_contracts c ON c.id = op.contract_id
        CROSS JOIN LATERAL jsonb_array_elements(coalesce(c.normalized->'schema', '[]'::jsonb)) obj
        CROSS JOIN LATERAL jsonb_array_elements(coalesce(obj->'properties', '[]'::jsonb)) prop
        WHERE op.product_id = p.id), '')), 'D')
  `);
}

/**
 * Turns free text into a prefix tsquery (`driv stat` → `driv:* & stat:*`), dropping every character
 * that tsquery syntax would interpret, so no user input can produce a tsquery syntax error.
 */
export function toPrefixQuery(text: string): string | null {
  const tokens = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 16);
  if (tokens.length === 0) return null;
  return tokens.map((t) => `${t}:*`).join(' & ');
}
