// Benchmark data: deterministic Arabic news articles of realistic size (~5 KB of body HTML each),
// as stored articles (for KV, through buildState) and as source files (for the publish CLI).
// Runs in Node and in workerd: no Node APIs, no clock, no randomness but a seeded PRNG.
import type { StoredArticle } from '../src/model/article'
import type { ArticleSource } from '../src/model/article-source'

const WORDS = (
  'الحكومة البرلمان الوزير الرئيس المفاوضات الاتفاق الأمن الاقتصاد الأسواق النفط الأسعار ' +
  'المدينة العاصمة الحدود اللاجئين المساعدات الانتخابات الدستور المعارضة الشرطة الجيش ' +
  'القوات الهجوم الهدنة المنطقة العراق سوريا لبنان الأردن مصر الخليج واشنطن طهران بغداد ' +
  'أعلن قال أكد أشار أوضح نفى طالب دعا حذر كشف أضاف يوم أمس الأسبوع الماضي الشهر العام ' +
  'الجاري خلال بعد قبل منذ حتى بين على في من إلى عن مع وفق حسب نحو أكثر أقل حوالي ' +
  'مصادر مسؤول مسؤولين رسمية مطلعة وكالة الأنباء بيان مؤتمر صحفي تقرير دراسة أرقام ' +
  'مليون مليار دولار دينار نسبة بالمئة ارتفاع انخفاض نمو أزمة خطة مشروع قرار قانون ' +
  'المواطنين السكان الأطفال النساء المدارس المستشفيات الكهرباء المياه الطرق الزراعة ' +
  'التجارة الصادرات الواردات البنك المركزي التضخم البطالة الاستثمار الشركات القطاع الخاص ' +
  'العام الدولي الإقليمي المحلي الوطني الأمم المتحدة مجلس الاتحاد الأوروبي الجامعة العربية ' +
  'السفير الخارجية الداخلية الدفاع المالية الصحة التعليم الثقافة الرياضة الفريق المباراة ' +
  'البطولة المهرجان المعرض الكتاب الفيلم المسرح الجمهور النقاد الجائزة التاريخ التراث'
).split(' ')

export const SECTIONS = ['سياسة', 'اقتصاد', 'رياضة', 'ثقافة', 'علوم', 'صحة', 'تقارير', 'Technology']
export const TAGS = Array.from(
  { length: 60 },
  (_, i) => `${WORDS[(i * 7) % WORDS.length]} ${i + 1}`,
)
const AUTHORS = ['فريق التحرير', 'مراسل بغداد', 'مكتب القاهرة', 'قسم الاقتصاد', 'وكالات']
const CREDITS = ['الفرنسية', 'رويترز', 'الأناضول', 'أسوشيتد برس']

/** mulberry32: a small seeded PRNG, so every run generates the same site. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(random: () => number, items: readonly T[]) =>
  items[Math.floor(random() * items.length)]!

function sentence(random: () => number, words: number): string {
  const out: string[] = []
  for (let i = 0; i < words; i++) out.push(pick(random, WORDS))
  return out.join(' ')
}

type Block =
  | { kind: 'h2'; text: string }
  | { kind: 'p'; before: string; strong?: string; link?: string; after: string }

/** UTF-8 length without an encoder: Arabic letters are 2 bytes, ASCII 1. */
const utf8Bytes = (text: string) => {
  let bytes = 0
  for (let i = 0; i < text.length; i++) bytes += text.charCodeAt(i) < 0x80 ? 1 : 2
  return bytes
}

/** A body of paragraphs and two sub-headings, about `targetBytes` of HTML. */
function bodyBlocks(seed: number, targetBytes: number): Block[] {
  const random = prng(seed)
  const blocks: Block[] = []
  let bytes = 0
  while (bytes < targetBytes) {
    const block: Block =
      blocks.length === 3 || blocks.length === 7
        ? { kind: 'h2', text: sentence(random, 4) }
        : {
            kind: 'p',
            before: sentence(random, 25 + Math.floor(random() * 25)),
            ...(random() < 0.3 ? { strong: sentence(random, 3) } : {}),
            ...(random() < 0.2 ? { link: sentence(random, 2) } : {}),
            after: `${sentence(random, 10 + Math.floor(random() * 20))}.`,
          }
    blocks.push(block)
    bytes += utf8Bytes(blockHtml(block))
  }
  return blocks
}

const LINK_URL = 'https://example.org/%D8%AA%D9%82%D8%B1%D9%8A%D8%B1?src=bench&ref=1'

function blockHtml(block: Block): string {
  if (block.kind === 'h2') return `<h2>${block.text}</h2>\n`
  const strong = block.strong ? ` <strong>${block.strong}</strong>` : ''
  const link = block.link ? ` <a href="${LINK_URL.replace('&', '&amp;')}">${block.link}</a>` : ''
  return `<p>${block.before}${strong}${link} ${block.after}</p>\n`
}

function blockMarkdown(block: Block): string {
  if (block.kind === 'h2') return `## ${block.text}`
  const strong = block.strong ? ` **${block.strong}**` : ''
  const link = block.link ? ` [${block.link}](${LINK_URL})` : ''
  return `${block.before}${strong}${link} ${block.after}`
}

/** How many distinct bodies articles share (bodies cycle; titles, dates and lists are unique). */
export const BODY_VARIANTS = 64
const BODY_BYTES = 5000

/** Variants from SHORT_VARIANTS up are one short paragraph (~300 bytes) instead of ~5 KB. */
export const SHORT_VARIANTS = 1000
const SHORT_BODY_BYTES = 300

const bodyCache = new Map<number, Block[]>()
const blocksOf = (variant: number) => {
  let blocks = bodyCache.get(variant)
  if (!blocks) {
    const short = variant >= SHORT_VARIANTS
    blocks = bodyBlocks(1000 + (variant % SHORT_VARIANTS), short ? SHORT_BODY_BYTES : BODY_BYTES)
    bodyCache.set(variant, blocks)
  }
  return blocks
}

export const bodyHtml = (variant: number) => blocksOf(variant).map(blockHtml).join('')
export const bodyMarkdown = (variant: number) =>
  `${blocksOf(variant).map(blockMarkdown).join('\n\n')}\n`

/** Newest article's time; older ones are 7 minutes apart, so every article is in the past. */
const NEWEST = Date.parse('2026-01-01T00:00:00Z')
const SPACING_MS = 7 * 60 * 1000

export const slugOf = (i: number) => `خبر-${i + 1}`

/** Everything but the body of article `i` of `count` (0 = oldest). */
function articleFacts(i: number, count: number) {
  const random = prng(i + 1)
  const published = NEWEST - (count - 1 - i) * SPACING_MS
  const tagCount = 1 + Math.floor(random() * 2)
  const tags = [...new Set(Array.from({ length: tagCount }, () => pick(random, TAGS)))]
  const withImage = random() < 0.5
  return {
    slug: slugOf(i),
    title: `${sentence(random, 6 + Math.floor(random() * 6))} (${i + 1})`,
    summary: `${sentence(random, 25 + Math.floor(random() * 15))}.`,
    publishedAt: new Date(published).toISOString(),
    ...(random() < 0.3 ? { updatedAt: new Date(published + 3_600_000).toISOString() } : {}),
    section: pick(random, SECTIONS),
    tags,
    authors: [{ name: pick(random, AUTHORS) }],
    ...(withImage
      ? {
          image: {
            url: `https://images.example.org/2025/${i + 1}.jpg`,
            alt: sentence(random, 5),
            caption: sentence(random, 10),
            credit: pick(random, CREDITS),
            width: 1200,
            height: 675,
          },
        }
      : {}),
    variant: i % BODY_VARIANTS,
  }
}

/**
 * Article `i` of `count` as stored in KV (related articles are filled in by buildState).
 * `html` may be overridden, e.g. by a placeholder that is expanded only when the value is written.
 */
export function storedArticle(
  i: number,
  count: number,
  siteHost: string,
  html?: string,
): StoredArticle {
  const { variant, ...facts } = articleFacts(i, count)
  return {
    ...facts,
    id: `tag:${siteHost},2026:${encodeURIComponent(facts.slug)}`,
    language: 'ar',
    html: html ?? bodyHtml(variant),
  }
}

/** Article `i` of `count` as an editor writes it in `articles/<slug>.json`. */
export function sourceArticle(i: number, count: number, edit = ''): ArticleSource {
  const { variant, ...facts } = articleFacts(i, count)
  return { ...facts, body: bodyMarkdown(variant) + edit }
}

/** The placeholder standing for body variant `v` in a value, and how to expand it. */
export const htmlPlaceholder = (variant: number) => `@@BENCH_HTML_${variant}@@`
const PLACEHOLDER = /@@BENCH_HTML_(\d+)@@/g
const escapedBodies = new Map<number, string>()
/** Replace placeholders in a JSON value with the JSON-escaped body: the bytes buildState would write. */
export function expandPlaceholders(value: string): string {
  return value.replace(PLACEHOLDER, (_, v: string) => {
    const variant = Number(v)
    let escaped = escapedBodies.get(variant)
    if (escaped === undefined)
      escapedBodies.set(variant, (escaped = JSON.stringify(bodyHtml(variant)).slice(1, -1)))
    return escaped
  })
}
