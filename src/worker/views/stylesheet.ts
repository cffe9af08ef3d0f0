// The site's stylesheet and the content-hashed URL it is served at. The worker only needs the URL
// (for <link rel="stylesheet">); src/cli/build-assets.ts writes the same text to
// public/assets/ under that name, where Workers static assets serve it with an immutable cache
// lifetime (public/_headers). Hashing the text both sides read means the two can never disagree,
// and no generated source file is needed for a fresh clone to type-check.
import { contentHash } from '../../model/hash'
import { STYLES } from './styles'

/** Where pages link the stylesheet; the file name changes with every change of its text. */
export const STYLESHEET_PATH = `/assets/site.${contentHash(STYLES)}.css`
