// @ts-check
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The route pattern of a request path, for the latency metric's `route` label (lib/metrics/registry.mjs): the page or
 * route handler Next will run (`/w/[workspace]/gallery`, `/api/w/[workspace]/media/[mediaId]/[variant]`), read from
 * the build's own routes manifest (`.next/routes-manifest.json`: its static routes by name, its dynamic routes' regular
 * expressions in Next's own precedence order). A path that matches no route is `(unmatched)` (404s, public files),
 * Next's assets are `/_next/static`, `/_next/image` or `/_next`. So the label never holds an id or anything a client
 * typed, and has at most (routes + 4) values.
 *
 * Measured at the server front (scripts/server.mjs), not inside Next: it is the one place that sees every request
 * (pages, route handlers, server actions, assets, and those the front refuses) from arrival to the response's last
 * byte; Next's instrumentation only reports errors, and proxy.ts runs for pages only and before the response exists.
 */

/** @typedef {{ page: string, regex: string }} ManifestRoute */
/** @typedef {{ staticRoutes?: ManifestRoute[], dynamicRoutes?: ManifestRoute[] }} RoutesManifest */

export const UNMATCHED = '(unmatched)';

/**
 * @param {RoutesManifest} manifest
 * @returns {(pathname: string) => string | null} null when nothing matches
 */
export function routeMatcher(manifest) {
  const statics = new Set((manifest.staticRoutes ?? []).map((route) => route.page));
  const dynamics = (manifest.dynamicRoutes ?? []).map((route) => ({ page: route.page, regex: new RegExp(route.regex) }));
  return (pathname) => {
    if (statics.has(pathname)) return pathname;
    for (const route of dynamics) if (route.regex.test(pathname)) return route.page;
    return null;
  };
}

/**
 * The path part of a request target, as the manifest's patterns expect it: no query, no trailing slash, and an RSC
 * payload request (`/w/x/gallery.rsc`, `/index.rsc`) counted with its page.
 * @param {string} url
 */
export function normalisePath(url) {
  let pathname = url.split('?', 1)[0] ?? '/';
  if (pathname.endsWith('.rsc')) pathname = pathname.slice(0, -4);
  if (pathname === '/index') pathname = '/';
  if (pathname.length > 1 && pathname.endsWith('/')) pathname = pathname.slice(0, -1);
  return pathname || '/';
}

/**
 * A classifier for this server: reads `<dir>/.next/routes-manifest.json` (`.next/dev/…` in development). In
 * development the manifest grows as pages are compiled, so an unmatched path re-reads it when it changed (checked at
 * most every 2 s); in production it is read once.
 * @param {{ dir: string, dev: boolean }} options
 * @returns {(url: string) => string}
 */
export function routeClassifier({ dir, dev }) {
  const file = path.join(dir, '.next', ...(dev ? ['dev'] : []), 'routes-manifest.json');
  /** @type {(pathname: string) => string | null} */
  let match = () => null;
  let loadedMtime = -1;
  let checkedAt = 0;
  const load = () => {
    checkedAt = Date.now();
    try {
      const mtime = statSync(file).mtimeMs;
      if (mtime === loadedMtime) return false;
      match = routeMatcher(JSON.parse(readFileSync(file, 'utf8')));
      loadedMtime = mtime;
      return true;
    } catch {
      return false; // no build yet (development before the first compile): everything is unmatched meanwhile
    }
  };
  load();
  return (url) => {
    const pathname = normalisePath(url);
    if (pathname.startsWith('/_next/')) {
      if (pathname.startsWith('/_next/static/')) return '/_next/static';
      if (pathname.startsWith('/_next/image')) return '/_next/image';
      return '/_next';
    }
    const found = match(pathname);
    if (found) return found;
    if (dev && Date.now() - checkedAt > 2000 && load()) return match(pathname) ?? UNMATCHED;
    return UNMATCHED;
  };
}
