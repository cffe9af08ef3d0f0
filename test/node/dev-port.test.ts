// The port `npm start` and `npm run dev` serve on: `--port N` wins over PORT, PORT over 8787, and
// wrangler is given `--port` exactly once (`npm run dev -- --port N` used to pass it twice).
import { describe, expect, it } from 'vitest'
import { devPort, PortError, withDevPort } from '../../tools/dev-port'

describe('devPort', () => {
  it('takes --port N or --port=N, then PORT, then 8787', () => {
    expect(devPort(['--port', '9000'], { PORT: '9100' })).toEqual({ port: 9000, rest: [] })
    expect(devPort(['--port=9001'], {})).toEqual({ port: 9001, rest: [] })
    expect(devPort([], { PORT: '9100' })).toEqual({ port: 9100, rest: [] })
    expect(devPort(['--log-level', 'warn'], {})).toEqual({
      port: 8787,
      rest: ['--log-level', 'warn'],
    })
  })

  it('refuses what is not a port', () => {
    expect(() => devPort(['--port'], {})).toThrow(PortError)
    expect(() => devPort(['--port', 'abc'], {})).toThrow(
      '--port must be a port number from 1 to 65535, not "abc"',
    )
    expect(() => devPort([], { PORT: '70000' })).toThrow('PORT must be a port number')
  })
})

describe('withDevPort', () => {
  it("gives `npm run dev -- --port N`'s port to wrangler dev once", () => {
    expect(withDevPort(['dev', '--ip', '127.0.0.1', '--port', '9000'], { PORT: '9100' })).toEqual([
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      '9000',
    ])
    expect(withDevPort(['dev', '--ip', '127.0.0.1'], {})).toEqual([
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      '8787',
    ])
    expect(withDevPort(['deploy', '--dry-run'], { PORT: '1' })).toEqual(['deploy', '--dry-run'])
  })
})
