// The committed JSON Schema (schema/article.schema.json) is generated from the zod schema, is up
// to date, and tells editors what the publish script will say.
import { readFile } from 'node:fs/promises'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { findArticleFiles } from '../../src/publish/article-files'
import { articleJsonSchema, SCHEMA_FILE } from '../../src/publish/article-json-schema'
import { parseMarkdownArticle } from '../../src/publish/markdown-article'
import { articleFile } from './support/publishing'

const committed = await readFile(SCHEMA_FILE, 'utf8')
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(committed))

describe('schema/article.schema.json', () => {
  it('is what npm run articles:schema generates from src/model/article-source.ts', () => {
    expect(committed, 'out of date: run npm run articles:schema and commit the result').toBe(
      articleJsonSchema(),
    )
  })

  it('accepts every article in articles/ (front matter and body of .md files), each .json pointing at it', async () => {
    for (const file of await findArticleFiles(['articles'])) {
      const text = await readFile(file, 'utf8')
      if (file.endsWith('.md')) {
        const { value } = parseMarkdownArticle(file, text)
        expect(validate(value), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true)
        continue
      }
      const article = JSON.parse(text) as Record<string, unknown>
      expect(article.$schema, file).toBe('../schema/article.schema.json')
      expect(validate(article), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
  })

  it('flags unknown fields, missing fields, bad slugs and dates without offsets', () => {
    const cases = [
      articleFile({ sumary: 'x' }),
      articleFile({ title: undefined }),
      articleFile({ slug: 'Not A Slug' }),
      articleFile({ publishedAt: '2024-11-20T08:30:00' }),
      articleFile({ image: { url: 'https://x.example/a.jpg' } }),
    ]
    for (const article of cases) expect(validate(article), JSON.stringify(article)).toBe(false)
  })
})
