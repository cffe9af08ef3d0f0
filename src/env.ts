// The worker's environment: bindings from wrangler.toml, and the site settings parsed from its
// [vars] once per isolate.
import type { SiteConfig } from './site'

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

export interface AppEnv {
  Bindings: Bindings
  Variables: { site: SiteConfig }
}
