// Request step 5 (views): small pieces the pages share — dates, names, photos, teasers, the
// article figure.
import type { Child } from 'hono/jsx'
import type { Author, Image, StoredArticle } from '../../model/article'
import type { Teaser as TeaserData } from '../../model/list-layout'
import { conjunctionPattern, formatDate, rfc3339, textDirection } from '../language'
import type { SiteConfig } from '../../model/site'
import { PHOTO_SIZES, pictureOf } from '../../model/picture'
import { articlePath, listPath } from '../../model/urls'

/** `<time datetime>` with the date as a reader of `language` writes it. */
export function DateTime(props: { iso: string; language: string; site: SiteConfig }) {
  return (
    <time datetime={rfc3339(props.iso)}>
      {formatDate(props.iso, props.language, props.site.timeZone)}
    </time>
  )
}

/**
 * Attributes for text in an article's own language inside a page in another one: `lang`, and
 * `dir` so a Latin title sits left-to-right in an Arabic list (and vice versa), isolated from
 * its neighbours.
 */
export const languageOf = (article: Pick<StoredArticle, 'language'>) => ({
  lang: article.language,
  dir: textDirection(article.language),
})

/**
 * Names joined as `language` joins them («أ وب»,"A, B and C"), each in <bdi>: a Latin name in
 * Arabic text (or the reverse) must not pull the commas and the conjunction out of order.
 */
export function NameList(props: { names: readonly Child[]; language: string }) {
  return (
    <>
      {conjunctionPattern(props.language, props.names.length).map((part) =>
        part.type === 'element' ? <bdi>{props.names[part.index]}</bdi> : part.value,
      )}
    </>
  )
}

/** The byline's names, each a link to the author's page (their articles and feeds). */
export function Authors(props: { authors: readonly Author[]; language: string }) {
  const names = props.authors.map((author) => (
    <a href={listPath({ kind: 'author', name: author.name })} rel="author">
      {author.name}
    </a>
  ))
  return <NameList names={names} language={props.language} />
}

/** The section as a link above a title; the name is isolated (a Latin section in Arabic chrome). */
export function Kicker(props: { section: string | undefined }) {
  if (!props.section) return null
  return (
    <p class="kicker">
      <a href={listPath({ kind: 'section', name: props.section })} dir="auto">
        {props.section}
      </a>
    </p>
  )
}

/**
 * A photo as the page shows it: a processed one as a responsive <picture> (src/model/picture.ts)
 * whose `sizes` says how wide its slot is, an external one as a plain <img>; nothing without one.
 * width/height give the box its shape before the file arrives, so nothing below it moves.
 */
export function Photo(props: { image: Image; sizes: string; lazy: boolean; class?: string }) {
  const { image } = props
  const picture = image.variants
    ? pictureOf(image.variants, (path) => path)
    : image.url
      ? { sources: [], img: { src: image.url, srcset: undefined, width: image.width, height: image.height } }
      : null
  if (!picture) return null
  const { img } = picture
  // Only a srcset needs sizes; above the fold (not lazy), the photo is what the reader waits for.
  const sizes = img.srcset === undefined ? undefined : props.sizes
  return (
    <picture class={props.class}>
      {picture.sources.map((source) => (
        <source type={source.type} srcset={source.srcset} sizes={props.sizes} />
      ))}
      <img
        src={img.src}
        srcset={img.srcset}
        sizes={sizes}
        width={img.width}
        height={img.height}
        alt={image.alt}
        loading={props.lazy ? 'lazy' : undefined}
        fetchpriority={props.lazy ? undefined : 'high'}
        decoding="async"
      />
    </picture>
  )
}

const hasPhoto = (image: Image | undefined): image is Image => Boolean(image?.variants ?? image?.url)

/** An article in a list: its photo, section, title, summary and date; the lead story larger. */
export function Teaser(props: { article: TeaserData; site: SiteConfig; lead?: boolean }) {
  const { article, site, lead } = props
  const photo = hasPhoto(article.image) ? article.image : undefined
  const classes = ['teaser', lead && 'lead-story', photo && 'with-photo'].filter(Boolean).join(' ')
  return (
    <li class={classes} {...languageOf(article)}>
      {photo ? (
        <Photo
          image={photo}
          sizes={lead ? PHOTO_SIZES.lead : PHOTO_SIZES.teaser}
          lazy={!lead}
          class="teaser-photo"
        />
      ) : null}
      <div class="teaser-text">
        <Kicker section={article.section} />
        <h2>
          <a href={articlePath(article.slug)}>{article.title}</a>
        </h2>
        <p class="summary">{article.summary}</p>
        <span class="meta">
          <DateTime iso={article.publishedAt} language={article.language} site={site} />
        </span>
      </div>
    </li>
  )
}

/**
 * The lead photo with its caption and agency credit; without a photo, the caption and credit
 * alone (the photo is never replaced by a placeholder); nothing when there is neither.
 */
export function Figure(props: { image: Image }) {
  const { image } = props
  const caption =
    image.caption || image.credit ? (
      <figcaption>
        {/* <bdi>: a bidi override left open in the caption must not reorder the credit. */}
        {image.caption ? <bdi>{image.caption}</bdi> : null}
        {image.caption && image.credit ? ' ' : null}
        {image.credit ? <span class="credit">({image.credit})</span> : null}
      </figcaption>
    ) : null
  if (!hasPhoto(image) && !caption) return null
  return (
    <figure class="figure">
      {/* The lead photo is above the fold: not lazy. */}
      {hasPhoto(image) ? <Photo image={image} sizes={PHOTO_SIZES.article} lazy={false} /> : null}
      {caption}
    </figure>
  )
}
