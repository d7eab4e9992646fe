/**
 * A small mesh for retrieval end-to-end tests: one product with an hourly and a daily table port, the
 * driver entity, a view on each port and a feature service over both, applied like any team would.
 */
const contract = (id: string, object: string, extra: string) => `
apiVersion: v3.1.0
kind: DataContract
id: ${id}
version: 1.0.0
status: active
schema:
  - name: ${object}
    properties:
      - { name: driver_id, logicalType: integer, required: true }
      - { name: event_timestamp, logicalType: timestamp, required: true }
      - { name: created, logicalType: timestamp }
${extra}`;

export const hourlyContract = contract(
  'pit-driver-hourly-v1',
  'hourly',
  `      - { name: conv_rate, logicalType: number }
      - { name: trips_today, logicalType: integer }
      - { name: city, logicalType: string }`,
);

export const dailyContract = contract(
  'pit-driver-daily-v1',
  'daily',
  `      - { name: trips_today, logicalType: integer }
      - { name: rating, logicalType: number }`,
);

export const driverProduct = `
apiVersion: v1.0.0
kind: DataProduct
id: pit-driver-stats
name: Driver stats for retrieval tests
domain: rides
status: active
outputPorts:
  - { name: hourly, version: 1.0.0, type: table, contractId: pit-driver-hourly-v1 }
  - { name: daily, version: 1.0.0, type: table, contractId: pit-driver-daily-v1 }
`;

export const registryDocs = `
apiVersion: tessera/v1
kind: Entity
name: driver
joinKeys: [{ name: driver_id, type: integer }]
---
apiVersion: tessera/v1
kind: FeatureView
name: driver_hourly
entities: [driver]
source: { dataProduct: pit-driver-stats, outputPort: hourly }
timestampField: event_timestamp
createdTimestampField: created
ttl: 2h
online: false
features: [conv_rate, trips_today, city]
---
apiVersion: tessera/v1
kind: FeatureView
name: driver_daily
entities: [driver]
source: { dataProduct: pit-driver-stats, outputPort: daily }
timestampField: event_timestamp
ttl: 0
online: false
features: [trips_today, rating]
---
apiVersion: tessera/v1
kind: FeatureService
name: driver_model_v1
features: [driver_daily:rating, driver_hourly:trips_today, driver_daily:trips_today]
`;

export const pitMeshFiles = (): { path: string; content: string }[] => [
  { path: 'contracts/rides/pit-driver-stats.odps.yaml', content: driverProduct },
  { path: 'contracts/rides/pit-driver-stats/hourly.odcs.yaml', content: hourlyContract },
  { path: 'contracts/rides/pit-driver-stats/daily.odcs.yaml', content: dailyContract },
  { path: 'contracts/rides/features.yaml', content: registryDocs },
];

/** Rows published into the two ports (NDJSON bodies for the ingest route). */
export const hourlyRows = [
  { driver_id: 1001, event_timestamp: '2021-04-12T08:00:00Z', created: '2021-04-12T08:05:00Z', conv_rate: 0.5, trips_today: 3, city: 'paris' },
  { driver_id: 1001, event_timestamp: '2021-04-12T10:00:00Z', created: '2021-04-12T10:05:00Z', conv_rate: 0.75, trips_today: 8, city: 'paris' },
  { driver_id: 1001, event_timestamp: '2021-04-12T10:00:00Z', created: '2021-04-12T10:30:00Z', conv_rate: 0.8, trips_today: 9, city: 'lyon' },
  { driver_id: 1002, event_timestamp: '2021-04-12T09:00:00Z', created: null, conv_rate: 0.25, trips_today: 5, city: null },
];

export const dailyRows = [
  { driver_id: 1001, event_timestamp: '2021-04-11T00:00:00Z', trips_today: 20, rating: 4.5 },
  { driver_id: 1002, event_timestamp: '2021-04-12T00:00:00Z', trips_today: 7, rating: 4.9 },
];
