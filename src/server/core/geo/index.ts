export * from './geojson.ts';
export * from './geometry.ts';
export * from './spatial-index.ts';
