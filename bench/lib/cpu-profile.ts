// A V8 CPU profile (Chrome DevTools Protocol `Profiler.stop`) summed per function name, for the
// bench's profiling scripts (profile-hot.ts, profile-cold.ts).

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
export interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/**
 * Inclusive ms per function name (each name counted once per sample), self ms per function name,
 * and busy ms in total (idle and program time left out).
 */
export function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id)
  const inclusive = new Map<string, number>()
  const self = new Map<string, number>()
  let busy = 0
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    const name = byId.get(id)!.callFrame.functionName
    if (name === '(idle)' || name === '(program)') return
    busy += ms
    self.set(name || '(anonymous)', (self.get(name || '(anonymous)') ?? 0) + ms)
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame
      const key = frame.functionName || '(anonymous)'
      if (seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms)
    }
  })
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1])
  return { busy, inclusive: sorted(inclusive), self: sorted(self) }
}
