// Harness: KV written through the publish core — the desired state of `articles`, planned against
// the manifest the namespace holds and written in the publish order through a binding target — so
// tests read exactly what a publish writes. No Node APIs: the worker tests run it inside workerd.
import type { Gone, StoredArticle } from '../../src/model/article'
import type { KvEntry } from '../../src/publish/desired-state'
import { buildState } from '../../src/publish/desired-state'
import { readManifest } from '../../src/publish/manifest'
import type { PrerenderOptions } from '../../src/publish/prerender'
import { planPublish, type Plan } from '../../src/publish/publish-plan'
import { bindingTarget, type KvBinding } from '../../src/publish/targets/binding-target'
import { writePlan } from '../../src/publish/write-plan'

export interface SeedOptions {
  /** The publish time (decides which articles are scheduled). */
  now: number
  /** Redirects and tombstones, as the publish pipeline derives them from files and unpublishes. */
  pointers?: readonly KvEntry[]
  removing?: readonly Gone[]
  /** The worker's settings and render code, for the responses a publish renders (prerender.ts). */
  prerender?: PrerenderOptions
}

/**
 * What a publish of `articles` does to `kv`: the plan from the manifest it holds now (an empty
 * namespace gets everything), its writes and deletes in order, the final manifest. Returns the plan.
 */
export async function seedKv(
  kv: KvBinding,
  articles: readonly StoredArticle[],
  { now, pointers, removing, prerender }: SeedOptions,
): Promise<Plan> {
  const target = bindingTarget('seeded KV', kv)
  const plan = await planPublish(buildState(articles, now, { prerender }), await readManifest(target), {
    pointers,
    removing,
  })
  await writePlan(plan, target)
  return plan
}
