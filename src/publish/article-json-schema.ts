// Article JSON Schema: the article format, generated from the zod schema (the one truth), for
// editors' completion and inline errors (articles point at it with "$schema"). Pure: the CLI
// (src/cli/schema.ts) writes it to schema/article.schema.json; a test fails when it is stale.
import * as z from 'zod'
import { ArticleSource, SLUG_PATTERN } from '../model/article-source'

export const SCHEMA_FILE = 'schema/article.schema.json'

/** What editors see on hover; the full rules are in docs/publishing.md. */
const DESCRIPTIONS: Record<string, string> = {
  $schema: 'Path to this JSON Schema, for editor completion: "../schema/article.schema.json".',
  slug: 'Equals the file name without .json. Lowercase letters and digits in runs joined by single "-"; Arabic allowed.',
  title: 'Plain text, non-empty.',
  summary: 'The lead: plain text, non-empty. Feed summary and meta description.',
  body: 'Markdown (CommonMark). Rendered and sanitised at publish time; images need alt text.',
  publishedAt:
    'ISO 8601 with a time zone offset, e.g. 2024-11-20T08:30:00+02:00. In the future = scheduled.',
  updatedAt: 'ISO 8601 with a time zone offset; not before publishedAt.',
  language: 'BCP 47 language tag, e.g. "ar" or "en"; defaults to the site language.',
  section: 'One section, e.g. "سياسة".',
  tags: 'Tags: trimmed, NFC, duplicates dropped.',
  authors: 'Authors; when absent the site is the author.',
  image:
    'The lead photo: url is a file beside the article (e.g. "media/photo.jpg", processed at publish) or an absolute https URL; without url only the caption and credit are shown.',
  id: 'Stable feed id; when absent derived from the site host and slug.',
  draft: 'true = never published (and taken off the site if it was live).',
  featured: "true = the lead story on its lists' first page, while it is on it.",
  redirectFrom: 'Former slugs of this article: their URLs answer 301 to this one.',
}

type JsonObject = { [key: string]: unknown }

/** The JSON Schema of an article file, as the text committed at SCHEMA_FILE. */
export function articleJsonSchema(): string {
  const schema = z.toJSONSchema(ArticleSource, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonObject
  const properties = schema.properties as Record<string, JsonObject>
  for (const [name, description] of Object.entries(DESCRIPTIONS)) {
    if (!properties[name])
      throw new Error(`article-json-schema.ts describes "${name}", which the article schema lacks`)
    properties[name].description = description
  }
  for (const name of ['title', 'summary', 'body']) properties[name]!.minLength = 1
  // The slug check is a zod refinement, which JSON Schema cannot carry: give editors its pattern.
  properties.slug!.pattern = SLUG_PATTERN.source
  const redirectItems = properties.redirectFrom!.items as JsonObject
  redirectItems.pattern = SLUG_PATTERN.source
  const ordered = {
    $schema: schema.$schema,
    $id: 'article.schema.json',
    title: 'Sahifa article',
    ...schema,
  }
  return `${JSON.stringify(ordered, null, 2)}\n`
}
