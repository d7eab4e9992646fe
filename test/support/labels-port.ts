/** A labels port in another domain than the features: reading it needs its own agreement. */
export const labelsFiles = [
  {
    path: 'contracts/ml/pit-trip-labels.odps.yaml',
    content: `
apiVersion: v1.0.0
kind: DataProduct
id: pit-trip-labels
name: Trip labels for entity-query tests
domain: ml
status: active
outputPorts:
  - { name: labels, version: 1.0.0, type: table, contractId: pit-trip-labels-v1 }
`,
  },
  {
    path: 'contracts/ml/pit-trip-labels/labels.odcs.yaml',
    content: `
apiVersion: v3.1.0
kind: DataContract
id: pit-trip-labels-v1
version: 1.0.0
status: active
schema:
  - name: labels
    properties:
      - { name: driver_id, logicalType: integer, required: true }
      - { name: labelled_at, logicalType: timestamp, required: true }
      - { name: completed, logicalType: integer }
      - { name: rider_email, logicalType: string, classification: pii }
`,
  },
];

export const labelRows = [
  { driver_id: 1001, labelled_at: '2021-04-12T10:00:00Z', completed: 1, rider_email: 'a@example.com' },
  { driver_id: 1002, labelled_at: '2021-04-12T09:15:00Z', completed: 0, rider_email: 'b@example.com' },
  { driver_id: 1001, labelled_at: '2021-04-12T08:30:00Z', completed: null, rider_email: null },
  // Same entity and time (ingest drops only identical rows): two entity rows, each kept.
  { driver_id: 1001, labelled_at: '2021-04-12T08:30:00Z', completed: null, rider_email: 'd@example.com' },
  { driver_id: 7, labelled_at: '2021-04-13T10:00:00Z', completed: 1, rider_email: 'c@example.com' }, // outside [from, to)
];
