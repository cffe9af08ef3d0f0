// The worker's environment: the bindings wrangler.toml gives it, and what a route gets for one
// request — the site settings (parsed once per isolate) and a KV reader.
import type { SiteConfig } from './site'
import type { KvReader } from './store'

export interface Bindings {
  ARTICLES: KVNamespace
  SITE_URL: string
  SITE_TITLE: string
  SITE_DESCRIPTION: string
  SITE_LANGUAGE: string
  SITE_RIGHTS: string
  SITE_TIME_ZONE: string
  FEED_SIZE: string
  WEBSUB_HUBS: string
  EDGE_CACHE: string
}

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
