import { DataSource } from 'typeorm';

/** Which part of a product a search word was found in. */
export type SearchMatchField = 'name' | 'description' | 'domain' | 'tag' | 'glossaryTerm' | 'glossarySynonym' | 'fieldName' | 'fieldDescription';

export interface SearchMatchRow {
  id: string;
  field: SearchMatchField;
  value: string;
  /** For a glossary synonym: the term it is a synonym of. */
  term: string | null;
}

export interface FacetRow {
  facet: 'domain' | 'status' | 'type' | 'tag';
  value: string;
  count: number;
}

/**
 * Turns free text into a tsquery matching any of its words as a prefix (`driv stat` → `driv:* | stat:*`).
 * The search itself needs every word (see toPrefixQuery); explaining it asks, field by field, which of
 * them that field holds, so a product found through its name and a tag shows both.
 */
export function toAnyPrefixQuery(text: string): string | null {
  const tokens = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 16);
  return tokens.length === 0 ? null : tokens.map((t) => `${t}:*`).join(' | ');
}

/**
 * Why each product matched: every indexed part (the same texts and the same 'english' configuration as
 * refreshSearchIndex, so stemming agrees) that holds one of the search words, with the text it holds.
 */
export function explainMatches(ds: DataSource, ids: string[], anyQuery: string): Promise<SearchMatchRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return ds.query<SearchMatchRow[]>(
    `WITH q AS (SELECT to_tsquery('english', $2) AS q)
     SELECT p.id, m.field, m.value, m.term
     FROM tessera.data_products p CROSS JOIN q
     CROSS JOIN LATERAL (
       SELECT 1 AS o, 'name' AS field, p.name AS value, NULL::text AS term
         WHERE to_tsvector('english', concat_ws(' ', p.name, p.id, replace(p.id, '-', ' '))) @@ q.q
       UNION ALL SELECT 2, 'tag', t, NULL FROM unnest(p.tags) t WHERE to_tsvector('english', t) @@ q.q
       UNION ALL SELECT 3, 'glossaryTerm', g.term, NULL FROM tessera.glossary_terms g
         WHERE p.id = ANY (g.products) AND to_tsvector('english', g.term) @@ q.q
       UNION ALL SELECT 4, 'glossarySynonym', s, g.term FROM tessera.glossary_terms g CROSS JOIN LATERAL unnest(g.synonyms) s
         WHERE p.id = ANY (g.products) AND to_tsvector('english', s) @@ q.q
       UNION ALL SELECT DISTINCT 5, 'fieldName', prop->>'name', NULL
         FROM tessera.output_ports op
         JOIN tessera.data_contracts c ON c.id = op.contract_id
         CROSS JOIN LATERAL jsonb_array_elements(coalesce(c.normalized->'schema', '[]'::jsonb)) obj
         CROSS JOIN LATERAL jsonb_array_elements(coalesce(obj->'properties', '[]'::jsonb)) prop
         WHERE op.product_id = p.id
           AND to_tsvector('english', concat_ws(' ', prop->>'name', replace(prop->>'name', '_', ' '), prop->>'businessName')) @@ q.q
       UNION ALL SELECT 6, 'description', concat_ws(' ', p.purpose, p.limitations, p.usage), NULL
         WHERE to_tsvector('english', concat_ws(' ', p.purpose, p.limitations, p.usage)) @@ q.q
       UNION ALL SELECT 7, 'domain', p.domain, NULL WHERE to_tsvector('english', p.domain) @@ q.q
       UNION ALL SELECT DISTINCT 8, 'fieldDescription', prop->>'name', NULL
         FROM tessera.output_ports op
         JOIN tessera.data_contracts c ON c.id = op.contract_id
         CROSS JOIN LATERAL jsonb_array_elements(coalesce(c.normalized->'schema', '[]'::jsonb)) obj
         CROSS JOIN LATERAL jsonb_array_elements(coalesce(obj->'properties', '[]'::jsonb)) prop
         WHERE op.product_id = p.id
           AND to_tsvector('english', concat_ws(' ', obj->>'description', prop->>'description')) @@ q.q
     ) m
     WHERE p.id = ANY ($1::text[])
     ORDER BY p.id, m.o, m.value`,
    [ids, anyQuery],
  );
}

/** Counts per domain, status, type and tag over every product the filter selects (not only one page). */
export function facetCounts(ds: DataSource, whereSql: string, params: unknown[]): Promise<FacetRow[]> {
  return ds.query<FacetRow[]>(
    `WITH hits AS (SELECT domain, status, type, tags FROM tessera.data_products ${whereSql})
     SELECT 'domain' AS facet, domain AS value, count(*)::int AS count FROM hits GROUP BY domain
     UNION ALL SELECT 'status', status, count(*)::int FROM hits GROUP BY status
     UNION ALL SELECT 'type', type, count(*)::int FROM hits WHERE type IS NOT NULL GROUP BY type
     UNION ALL SELECT 'tag', t, count(*)::int FROM hits CROSS JOIN LATERAL unnest(hits.tags) t GROUP BY t
     ORDER BY facet, count DESC, value`,
    params,
  );
}
