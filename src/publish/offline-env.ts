// wrangler and miniflare offline, defined once: no metrics, no update check, no `Request.cf`
// fetch (where DNS hangs instead of failing, each local `kv` command took ~11 s instead of
// ~1.5 s). Every CLI, test config, launcher and the bench apply it.

const OFFLINE_ENV = {
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
} as const

/** The environment for a child process that runs wrangler or miniflare. */
export const offlineEnv = (base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv => ({
  ...base,
  ...OFFLINE_ENV,
})

/** This process offline: for the wrangler and miniflare it loads and every child it starts. */
export function goOffline(): void {
  Object.assign(process.env, OFFLINE_ENV)
}
