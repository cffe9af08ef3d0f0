// Article scaffold, for editors: a new article file that is valid as written, so `articles:new`
// never starts an editor off with an error — a `.md` file (YAML front matter, Markdown body) or a
// `.json` one. Pure: the time and paths come in as arguments.
import { stringify } from 'yaml'
import type { ArticleSource } from '../model/article-source'
import type { ArticleExtension } from './content-paths'

/** `2026-11-24T08:30:00+02:00`: the instant in the machine's time zone, with its offset. */
export function isoWithOffset(date: Date): string {
  const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, '0')
  const offset = -date.getTimezoneOffset()
  const sign = offset >= 0 ? '+' : '-'
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  )
}

/**
 * The text of a new article file: placeholders to replace, the current time, and `draft: true`
 * so that placeholder text is never published by accident. `schemaPath` (JSON only) points the
 * editor at the JSON Schema for completion.
 */
export function scaffoldArticle(
  slug: string,
  now: Date,
  format: ArticleExtension,
  schemaPath: string,
): string {
  const { body, ...fields }: ArticleSource = {
    slug,
    title: 'عنوان المقال',
    summary: 'ملخص المقال في جملة أو جملتين.',
    body: 'الفقرة الأولى من نص المقال.\n\n## عنوان فرعي\n\nفقرة أخرى.\n',
    publishedAt: isoWithOffset(now),
    section: 'أخبار',
    tags: [],
    draft: true,
  }
  if (format === '.json')
    return `${JSON.stringify({ $schema: schemaPath, ...fields, body }, null, 2)}\n`
  return `---\n${stringify(fields, { lineWidth: 0 })}---\n\n${body}`
}
