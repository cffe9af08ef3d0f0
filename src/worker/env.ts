// The worker's environment: the bindings wrangler.toml gives it (`Env`, generated from it by
// `wrangler types` into worker-configuration.d.ts), and what a route gets for one request.
import type { SiteConfig } from '../model/site'
import type { KvReader } from './store'

/** What wrangler.toml binds: the ARTICLES namespace, the MEDIA bucket and the [vars]. */
export type Bindings = Env

/**
 * The routes' `c.env`: not the raw bindings but the site's settings and a reader of the ARTICLES
 * namespace that records what it reads (the edge cache tags the response with it).
 */
export interface RouteEnv {
  site: SiteConfig
  kv: KvReader
}

export interface AppEnv {
  Bindings: RouteEnv
}
