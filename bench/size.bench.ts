// Bytes our users pay: each built entry minified and gzipped, with its own
// dependencies (jwt-decode) bundled in and its peers (ky, react, vue) left out.
import { build } from 'rolldown'
import { gzipSync } from 'node:zlib'

const PEERS = [/^ky($|\/)/, /^react($|\/)/, /^react-dom($|\/)/, /^vue($|\/)/]

export async function gzipSize(entry: string, external: RegExp[] = PEERS): Promise<number> {
  const { output } = await build({
    input: entry,
    write: false,
    external,
    // 'use client' stays a directive for the app's bundler; nothing to report here.
    onLog: (level, log, report) => log.code !== 'MODULE_LEVEL_DIRECTIVE' && report(level, log),
    output: { format: 'es', minify: true },
  })
  return gzipSync(output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n'), { level: 9 }).length
}

/** An adapter's own cost: its bundle minus the core it shares with the app's other imports. */
export async function adapterSize(entry: string): Promise<number> {
  const core = /\/dist\/(index|auth-client|chunk)[^/]*\.js$|^jwt-decode$/
  return gzipSize(entry, [...PEERS, core])
}
