// Harness: KV seeded through the publish core — the desired state of `articles`, planned against
// an empty manifest and written in the publish order through a binding target — so tests read
// exactly what a publish writes. No Node APIs: the worker tests run it inside workerd.
import type { StoredArticle } from '../../src/article'
import { buildState } from '../../src/publish/desired-state'
import { EMPTY_MANIFEST } from '../../src/publish/manifest'
import { planPublish } from '../../src/publish/publish-plan'
import { bindingTarget, type KvBinding } from '../../src/publish/targets/binding-target'
import { writePlan } from '../../src/publish/write-plan'

/** Write what publishing `articles` at `now` into an empty namespace writes. */
export async function seedKv(
  kv: KvBinding,
  articles: readonly StoredArticle[],
  now: number,
): Promise<void> {
  const plan = await planPublish(buildState(articles, now), EMPTY_MANIFEST)
  await writePlan(plan, bindingTarget('seeded KV', kv))
}
