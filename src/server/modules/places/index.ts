// Places (issue 5): boundaries, the in-process area index, attribution of a point, routing by district.
export { type ImportPlacesResult, importPlaces, PLACE_KINDS, readPlaceFile, seedPlaces } from './commands/import-places.ts';
export { type PlaceForCase, placeForCase } from './place-for-case.ts';
export { placesRoutes } from './places.routes.ts';
export { type IndexedPlace, type Located, type PlaceRef, PlacesService, placesFor } from './places-service.ts';
