// The bindings worker tests see through `env` from 'cloudflare:test': the worker's own.
import type { Bindings } from '../../src/env'

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {}
  }
}
