import { PRODUCT_STATUSES, ProductStatus } from '../entities/data-product.entity';

/**
 * A data product's status only moves forward: proposed → draft → active → deprecated → retired
 * (steps may be skipped). Going back would tell consumers a retired product is safe to use again;
 * publish a new version of the product instead. Returns the reason a move is refused, or null.
 */
export function lifecycleRefusal(from: string, to: string): string | null {
  const a = PRODUCT_STATUSES.indexOf(from as ProductStatus);
  const b = PRODUCT_STATUSES.indexOf(to as ProductStatus);
  if (a < 0 || b < 0 || b >= a) return null;
  return `status cannot move back from ${from} to ${to} (lifecycle: ${PRODUCT_STATUSES.join(' → ')}; steps may be skipped, never undone)`;
}
