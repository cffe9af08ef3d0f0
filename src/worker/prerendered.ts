// Request step 4 (store → response): a response the publisher rendered ahead of the request, sent
// as KV holds it — one read, no render, no encode, no hash — but only while it is exactly what the
// routes would render now: made with the settings this worker runs with (siteStamp), by the render
// code it was built from (RENDER_STAMP), and before anything it shows changes by itself (a
// scheduled article comes due). Otherwise null, and the route renders.
import type { SiteConfig } from '../model/site'
import { siteStamp } from '../model/stored-response'
import { RENDER_STAMP } from './generated/render-stamp'
import { freshUntil, validatedResponse } from './http'
import { getStoredResponse, type KvReader } from './store'

// [vars] never change within an isolate: the stamp of a settings object is computed once.
const siteStamps = new WeakMap<SiteConfig, string>()

function siteStampOf(site: SiteConfig): string {
  let stamp = siteStamps.get(site)
  if (stamp === undefined) siteStamps.set(site, (stamp = siteStamp(site)))
  return stamp
}

/** The stored response at `key` as the answer at `now`, or null when the route must render. */
export async function prerenderedResponse(kv: KvReader, key: string, site: SiteConfig, now: number): Promise<Response | null> {
  const stored = await getStoredResponse(kv, key)
  if (!stored) return null
  const { head, body } = stored
  const current =
    head.site === siteStampOf(site) &&
    head.renderer === RENDER_STAMP &&
    (head.validUntil === undefined || now < head.validUntil)
  if (!current) return null
  return validatedResponse({ ...head, freshFor: freshUntil([head.validUntil], now) }, body, head.etag)
}
