// The site's own words (masthead, footer, labels) in the site language. Articles bring their own.

const STRINGS = {
  ar: {
    latestNews: 'جديد الأخبار',
    skipToContent: 'انتقل إلى المحتوى',
    home: 'الرئيسية',
    feeds: 'الاشتراك',
    allFeeds: 'كل الاشتراكات',
    feedsIntro: 'اشترك في الموقع كله، أو في قسم أو وسم أو كاتب، بالصيغة التي يقرؤها قارئ الخلاصات لديك. ولإضافة الكل دفعة واحدة استورد ملف OPML.',
    importAll: 'استيراد الكل (OPML)',
    authors: 'الكتّاب',
    website: 'الموقع',
    updated: 'حُدّث',
    by: 'بقلم',
    tags: 'الوسوم',
    section: 'القسم',
    notFoundTitle: 'الصفحة غير موجودة',
    notFoundText: 'لم نعثر على ما تبحث عنه. ربما نُقلت الصفحة أو حُذفت.',
    goneTitle: 'سُحب هذا المقال',
    goneText: 'لم يعد هذا المقال منشورًا على الموقع.',
    backHome: 'العودة إلى الصفحة الرئيسية',
    noArticles: 'لا توجد مقالات بعد.',
    newer: 'الأحدث',
    older: 'الأقدم',
    pagination: 'التنقل بين الصفحات',
    page: 'صفحة',
    of: 'من',
    sections: 'الأقسام',
    related: 'مقالات ذات صلة',
    withdrawnOn: 'سُحب في',
  },
  en: {
    latestNews: 'Latest news',
    skipToContent: 'Skip to content',
    home: 'Home',
    feeds: 'Subscribe',
    allFeeds: 'All feeds',
    feedsIntro: 'Subscribe to the whole site, or to one section, tag or author, in the format your feed reader reads. To add them all at once, import the OPML file.',
    importAll: 'Import all (OPML)',
    authors: 'Authors',
    website: 'Website',
    updated: 'Updated',
    by: 'By',
    tags: 'Tags',
    section: 'Section',
    notFoundTitle: 'Page not found',
    notFoundText: 'We could not find what you were looking for. It may have moved or been removed.',
    goneTitle: 'This article was withdrawn',
    goneText: 'This article is no longer published on this site.',
    backHome: 'Back to the front page',
    noArticles: 'No articles yet.',
    newer: 'Newer',
    older: 'Older',
    pagination: 'Pagination',
    page: 'Page',
    of: 'of',
    sections: 'Sections',
    related: 'Related articles',
    withdrawnOn: 'Withdrawn on',
  },
} as const

export type UiStrings = { readonly [K in keyof (typeof STRINGS)['en']]: string }

/** The site chrome's words for a site language; English where Sahifa has no translation. */
export function uiStrings(language: string): UiStrings {
  const base = language.split('-')[0]
  return base === 'ar' ? STRINGS.ar : STRINGS.en
}
