/**
 * A file of the package's data/ folder. Resolved from this module, two levels
 * below the package root in src/, dist/ and the bundle (dist/bundle) alike.
 */
export function dataFile(relative: string): URL {
  return new URL(`../../data/${relative}`, import.meta.url);
}
