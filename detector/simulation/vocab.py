"""Vocabularies the simulator draws attribute values from.

Everything a detector might be tempted to hard-code (email domains, in-app browser
strings, referrers, area codes, postal codes, names) lives here as data, in
registries keyed by the names a :class:`~detector.simulation.Scenario` refers to:
``region`` (:data:`REGIONS`), ``names`` (:data:`NAMES`), ``email_style``
(:data:`EMAIL_STYLES`), ``oddities`` (:data:`ODDITIES`) and ``platform`` /
surge platforms (:data:`PLATFORMS`). Region, name and oddity data sit in
:mod:`detector.simulation.places`; browsers, platforms and email styles here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .places import (MOBILE_PREFIXES, NAMES, NATIONAL_AREA_CODES, NATIONAL_ISP, NATIONAL_POSTAL, ODDITIES, REGIONS,
                     VPN_PREFIXES, NameSet, Oddities, Region, words)

__all__ = [
    "BROWSERS", "EMAIL_STYLES", "SEARCH_REFERRERS", "UA_FILL", "NAMES", "ODDITIES", "PLATFORMS", "REGIONS",
    "EmailStyle", "Habits", "NameSet", "Oddities", "PhonePlan", "Platform", "Region", "Vocabulary", "vocabulary",
]

# --- browsers: template, weight; {chrome} {ios} {iosv} {android} {device} {mac} are filled in
_IOS = tuple("12_4_7 13_3_1 13_4_1 13_5 13_5_1 13_5_1 13_5_1 13_6 14_0".split())
_IOSV = tuple("12.1.2 13.0.5 13.1 13.1.1 13.1.1 13.1.1 14.0".split())
_ANDROID = tuple("8.0.0 9 9 10 10 10 10 11".split())
_DEVICES = words(
    "SM-G973U SM-G975U SM-G960U SM-N960U SM-A505U SM-A205U SM-G950U SM-A115U Pixel_3 Pixel_4 "
    "Pixel_3a moto_g(7) moto_g_power LM-Q720 LM-K500 SM-S111DL SM-A102U REVVL_4 SM-N975U SM-G781U")
_CHROME = tuple("81.0.4044.138 83.0.4103.97 83.0.4103.106 83.0.4103.116 83.0.4103.61 84.0.4147.89".split())
_MAC = tuple("10_14_6 10_15_4 10_15_5 10_15_5 10_15_6".split())
_WEBKIT_IOS = "AppleWebKit/605.1.15 (KHTML, like Gecko)"
_WEBKIT = "AppleWebKit/537.36 (KHTML, like Gecko)"
_ANDROID_WV = "Mozilla/5.0 (Linux; Android {android}; {device} Build/QP1A.190711.020; wv) " + _WEBKIT + \
    " Version/4.0 Chrome/{chrome} Mobile Safari/537.36"

BROWSERS: dict[str, tuple[str, float]] = {
    "chrome_windows": ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) " + _WEBKIT + " Chrome/{chrome} Safari/537.36", 0.17),
    "edge_windows": ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) " + _WEBKIT + " Chrome/{chrome} Safari/537.36 Edg/83.0.478.54", 0.05),
    "firefox_windows": ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:77.0) Gecko/20100101 Firefox/77.0", 0.03),
    "ie11": ("Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko", 0.01),
    "safari_mac": ("Mozilla/5.0 (Macintosh; Intel Mac OS X {mac}) " + _WEBKIT_IOS + " Version/13.1.1 Safari/605.1.15", 0.05),
    "chrome_mac": ("Mozilla/5.0 (Macintosh; Intel Mac OS X {mac}) " + _WEBKIT + " Chrome/{chrome} Safari/537.36", 0.04),
    "safari_iphone": ("Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) " + _WEBKIT_IOS + " Version/{iosv} Mobile/15E148 Safari/604.1", 0.30),
    "safari_ipad": ("Mozilla/5.0 (iPad; CPU OS {ios} like Mac OS X) " + _WEBKIT_IOS + " Version/{iosv} Mobile/15E148 Safari/604.1", 0.04),
    "chrome_android": ("Mozilla/5.0 (Linux; Android {android}; {device}) " + _WEBKIT + " Chrome/{chrome} Mobile Safari/537.36", 0.22),
    "samsung_android": ("Mozilla/5.0 (Linux; Android {android}; {device}) " + _WEBKIT + " SamsungBrowser/12.0 Chrome/79.0.3945.136 Mobile Safari/537.36", 0.07),
    "chrome_iphone": ("Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) " + _WEBKIT_IOS + " CriOS/83.0.4103.88 Mobile/15E148 Safari/604.1", 0.02),
}
SEARCH_REFERRERS = {"https://www.google.com/": 0.82, "https://www.bing.com/": 0.08, "https://duckduckgo.com/": 0.04,
                    "https://search.yahoo.com/": 0.06}
UA_FILL = {"chrome": _CHROME, "ios": _IOS, "iosv": _IOSV, "android": _ANDROID, "device": _DEVICES, "mac": _MAC}


@dataclass(frozen=True)
class Platform:
    """A social platform: its in-app browser strings, referrers and link style."""

    name: str
    in_app_ua: tuple[str, ...]      # templates, filled like BROWSERS
    referrers: tuple[str, ...]      # {code} and {handle} are filled in
    link_in_bio: tuple[str, ...] = ()
    share_verb: str = "shared"


PLATFORMS: dict[str, Platform] = {
    "tiktok": Platform(
        "tiktok",
        ("Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) " + _WEBKIT_IOS + " Mobile/15E148 musical_ly_16.3.0 "
         "JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US",
         "Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) " + _WEBKIT_IOS + " Mobile/15E148 musical_ly_16.2.0 "
         "JsSdk/2.0 NetType/4G Channel/App Store ByteLocale/en Region/US",
         _ANDROID_WV + " trill_2021603030 JsSdk/1.0 NetType/MOBILE Channel/googleplay AppName/musical_ly "
         "app_version/16.3.3 ByteLocale/en ByteFullLocale/en Region/US BytedanceWebview/d8a21c6"),
        ("https://www.tiktok.com/", "https://m.tiktok.com/", "https://vm.tiktok.com/{code}/",
         "https://www.tiktok.com/@{handle}"),
        ("https://linktr.ee/{handle}", "https://lnk.bio/{handle}", "https://beacons.ai/{handle}"),
        "duet"),
    "instagram": Platform(
        "instagram",
        ("Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) " + _WEBKIT_IOS + " Mobile/15E148 Instagram "
         "146.0.0.21.122 (iPhone11,8; iOS {ios}; en_US; en-US; scale=2.00; 828x1792; 220223664)",
         _ANDROID_WV + " Instagram 146.0.0.27.125 Android (29/10; 420dpi; 1080x2042; samsung; {device}; "
         "beyond2q; qcom; en_US; 221134032)"),
        ("https://l.instagram.com/", "https://www.instagram.com/", "https://instagram.com/",
         "https://www.instagram.com/{handle}/"),
        ("https://linktr.ee/{handle}", "https://linkin.bio/{handle}", "https://tap.bio/@{handle}"),
        "remix"),
    "facebook": Platform(
        "facebook",
        ("Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) " + _WEBKIT_IOS + " Mobile/15E148 [FBAN/FBIOS;"
         "FBDV/iPhone11,8;FBMD/iPhone;FBSN/iOS;FBSV/{iosv};FBSS/2;FBID/phone;FBLC/en_US;FBOP/5]",
         _ANDROID_WV + " [FB_IAB/FB4A;FBAV/272.0.0.39.123;]"),
        ("https://l.facebook.com/", "https://m.facebook.com/", "https://www.facebook.com/",
         "https://lm.facebook.com/"),
        (), "shared"),
    "twitter": Platform(
        "twitter",
        (_ANDROID_WV + " TwitterAndroid",
         "Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) " + _WEBKIT_IOS + " Mobile/15E148 Twitter for iPhone/8.24"),
        ("https://t.co/{code}", "https://twitter.com/", "https://mobile.twitter.com/"),
        (), "retweeted"),
}


@dataclass(frozen=True)
class EmailStyle:
    """How ordinary people in a scenario write email addresses."""

    domains: dict[str, float]          # common providers and their shares
    patterns: dict[str, float]         # local-part patterns, see attributes._organic_email
    local_domain_share: float = 0.12   # share using the region's ISP / school domains
    handle_words: tuple[str, ...] = ()  # for hobby-style addresses such as 'jimfishing67'


EMAIL_STYLES: dict[str, EmailStyle] = {
    "classic": EmailStyle(
        {"gmail.com": 0.40, "yahoo.com": 0.17, "hotmail.com": 0.08, "aol.com": 0.07, "icloud.com": 0.07,
         "outlook.com": 0.05, "msn.com": 0.02, "live.com": 0.02, "comcast.net": 0.01, "ymail.com": 0.01},
        {"first.last": 0.26, "firstlast": 0.16, "firstlastNN": 0.18, "flast": 0.10, "firstNNNN": 0.10,
         "first_last": 0.05, "lastfirst": 0.03, "handle": 0.12}, 0.12,
        words("fan mom dad gal guy okie sooner fishing rider jr nana papa hunter cowboy")),
    "modern": EmailStyle(
        {"gmail.com": 0.52, "icloud.com": 0.13, "outlook.com": 0.09, "yahoo.com": 0.09, "hotmail.com": 0.06,
         "protonmail.com": 0.02, "me.com": 0.02, "live.com": 0.01},
        {"first_last": 0.14, "first.last": 0.14, "firstlast": 0.20, "f.last": 0.10, "lastfirstNN": 0.12,
         "firstNN": 0.12, "flastNN": 0.06, "handle": 0.12}, 0.10,
        words("az desert sun vibes life xo official real the hikes cactus suns")),
    # --- other countries (the random scenario draws among these, or synthesises a style)
    "uk": EmailStyle(
        {"gmail.com": 0.36, "hotmail.co.uk": 0.14, "yahoo.co.uk": 0.09, "outlook.com": 0.08, "btinternet.com": 0.07,
         "icloud.com": 0.08, "sky.com": 0.05, "live.co.uk": 0.05, "aol.co.uk": 0.02, "googlemail.com": 0.06},
        {"first.last": 0.30, "firstlast": 0.15, "firstlastNN": 0.15, "flast": 0.08, "first_last": 0.07,
         "firstNN": 0.10, "handle": 0.15}, 0.08, words("lad lass footy mum gooner red blue lfc cfc")),
    "de": EmailStyle(
        {"gmx.de": 0.22, "web.de": 0.22, "gmail.com": 0.22, "t-online.de": 0.12, "outlook.de": 0.05,
         "yahoo.de": 0.04, "freenet.de": 0.04, "gmx.net": 0.06, "posteo.de": 0.03},
        {"first.last": 0.40, "firstlast": 0.12, "flast": 0.08, "first_last": 0.06, "firstNNNN": 0.10,
         "f.last": 0.10, "handle": 0.14}, 0.06, words("fan bayern hsv bvb schalke tiger maus baer")),
    "fr": EmailStyle(
        {"gmail.com": 0.35, "orange.fr": 0.14, "hotmail.fr": 0.12, "free.fr": 0.08, "yahoo.fr": 0.07,
         "laposte.net": 0.06, "sfr.fr": 0.06, "wanadoo.fr": 0.05, "outlook.fr": 0.04, "icloud.com": 0.03},
        {"first.last": 0.38, "firstlast": 0.14, "f.last": 0.10, "first_last": 0.08, "firstNNNN": 0.10,
         "lastfirst": 0.05, "handle": 0.15}, 0.07, words("du13 psg om loulou titi bibi chouchou")),
    "br": EmailStyle(
        {"gmail.com": 0.55, "hotmail.com": 0.15, "outlook.com": 0.07, "yahoo.com.br": 0.08, "uol.com.br": 0.05,
         "bol.com.br": 0.04, "terra.com.br": 0.03, "icloud.com": 0.03},
        {"firstlast": 0.22, "first.last": 0.18, "firstlastNN": 0.20, "first_last": 0.08, "firstNNNN": 0.12,
         "handle": 0.20}, 0.05, words("gatinha flamengo mengao timao fla vasco lindinha gordinho")),
    "in": EmailStyle(
        {"gmail.com": 0.70, "yahoo.co.in": 0.08, "rediffmail.com": 0.05, "outlook.com": 0.06, "hotmail.com": 0.06,
         "yahoo.com": 0.05},
        {"firstlast": 0.22, "first.last": 0.20, "firstlastNN": 0.20, "firstNNNN": 0.15, "first_last": 0.08,
         "handle": 0.15}, 0.04, words("cool star king queen raja rocks smart cute")),
    "jp": EmailStyle(
        {"gmail.com": 0.34, "yahoo.co.jp": 0.22, "docomo.ne.jp": 0.12, "ezweb.ne.jp": 0.08, "softbank.ne.jp": 0.06,
         "icloud.com": 0.12, "outlook.jp": 0.03, "i.softbank.jp": 0.03},
        {"first.last": 0.18, "firstlast": 0.15, "lastfirst": 0.10, "firstNNNN": 0.12, "handle": 0.30,
         "first_last": 0.15}, 0.05, words("neko usagi sakura hoshi sora kuma momo pika")),
    "kr": EmailStyle(
        {"naver.com": 0.45, "gmail.com": 0.25, "daum.net": 0.12, "hanmail.net": 0.10, "nate.com": 0.08},
        {"firstlast": 0.20, "lastfirst": 0.15, "firstNNNN": 0.15, "handle": 0.35, "firstlastNN": 0.15}, 0.03,
        words("love star sky happy angel mint choco bear")),
    "ng": EmailStyle(
        {"gmail.com": 0.72, "yahoo.com": 0.18, "hotmail.com": 0.04, "outlook.com": 0.04, "ymail.com": 0.02},
        {"firstlast": 0.22, "first.last": 0.20, "firstlastNN": 0.20, "lastfirst": 0.08, "firstNNNN": 0.12,
         "handle": 0.18}, 0.02, words("blessed king queen official naija boss prince gold")),
    "pl": EmailStyle(
        {"gmail.com": 0.38, "wp.pl": 0.16, "o2.pl": 0.12, "onet.pl": 0.10, "interia.pl": 0.10, "op.pl": 0.06,
         "tlen.pl": 0.03, "outlook.com": 0.05},
        {"first.last": 0.35, "firstlast": 0.15, "firstNNNN": 0.15, "first_last": 0.08, "flast": 0.07,
         "handle": 0.20}, 0.03, words("kotek misiek legia lech zlota bestia")),
    "tr": EmailStyle(
        {"gmail.com": 0.55, "hotmail.com": 0.25, "outlook.com": 0.06, "yandex.com.tr": 0.06, "yahoo.com": 0.05,
         "mynet.com": 0.03},
        {"firstlast": 0.25, "first.last": 0.15, "firstlastNN": 0.20, "firstNNNN": 0.15, "first_last": 0.10,
         "handle": 0.15}, 0.03, words("gs fb bjk aslan kartal kanarya yildiz")),
    "ru": EmailStyle(
        {"mail.ru": 0.30, "yandex.ru": 0.25, "gmail.com": 0.22, "rambler.ru": 0.06, "bk.ru": 0.05, "list.ru": 0.05,
         "inbox.ru": 0.04, "ya.ru": 0.03},
        {"firstlast": 0.15, "first.last": 0.15, "flast": 0.10, "firstNNNN": 0.18, "first_last": 0.10,
         "lastfirst": 0.07, "handle": 0.25}, 0.04, words("kotik zaya mishka tigr volk lisa solnce")),
    "mx": EmailStyle(
        {"gmail.com": 0.50, "hotmail.com": 0.25, "outlook.com": 0.08, "yahoo.com.mx": 0.08, "live.com.mx": 0.05,
         "icloud.com": 0.04},
        {"firstlast": 0.22, "first.last": 0.16, "firstlastNN": 0.20, "first_last": 0.10, "firstNNNN": 0.12,
         "handle": 0.20}, 0.04, words("chivas america tigres bonita guapo lindo")),
}


_REFERRER_MIX = (("", 0.33), ("search", 0.20), ("facebook", 0.13), ("twitter", 0.07), ("official", 0.10),
                 ("news", 0.05), ("instagram", 0.02), ("webmail", 0.03), ("other", 0.07))


@dataclass(frozen=True)
class Habits:
    """How often people write a value one way or another: the mixing weights of the attribute
    generators. The defaults are those of every named scenario; the ``random`` scenario draws them.

    Weights are unnormalised; ``odd_*`` weights choose among the kinds of odd value a campaign
    member uses (see the ``draw_*`` functions for the order of the kinds).
    """

    name_styles: tuple[float, ...] = (0.86, 0.05, 0.04, 0.02, 0.03, 0.0)  # F L, F I. L, lower, UPPER, L, F; L F
    name_plain: tuple[float, float] = (0.6, 0.4)     # (with accents, typed without accents)
    odd_names: tuple[float, ...] = (0.35, 0.25, 0.15, 0.25)        # fan, joke, keyboard mash, handle
    odd_emails: tuple[float, ...] = (0.30, 0.25, 0.30, 0.15)       # random, throwaway, handle, from the name
    disposable: float = 0.4                                         # odd emails at a disposable domain
    phone_formats: tuple[float, ...] = (0.35, 0.33, 0.12, 0.05, 0.08, 0.03, 0.04)   # US styles, last = empty
    odd_phones: tuple[float, ...] = (0.35, 0.45, 0.20)             # placeholder, far away, foreign
    postal_skew: float = 6.0                                        # Zipf offset of postal code popularity
    postal_suffix: float = 0.03                                     # ZIP+4 style suffixes
    odd_postal: tuple[float, ...] = (0.30, 0.45, 0.20, 0.05)       # placeholder, far away, foreign, empty
    mobile_ip: float = 0.4                                          # organic sign-ups from mobile carriers
    ip_span: int = 256                                              # third octets per ISP prefix (small = clustered)
    odd_ips: tuple[float, ...] = (0.45, 0.25, 0.10, 0.20)          # far ISP, mobile, VPN, foreign
    in_app_mix: tuple[tuple[str, float], ...] = (("facebook", 0.07), ("instagram", 0.03), ("twitter", 0.02))
    odd_in_app: float = 0.75                                        # odd user agents from the in-app browser
    shift_in_app: float = 0.6                                       # surge rows shifted to the platform's browser
    referrer_mix: tuple[tuple[str, float], ...] = _REFERRER_MIX
    odd_referrers: tuple[float, ...] = (0.45, 0.25, 0.30)          # platform, link in bio, none
    browser_weights: tuple[float, ...] = ()                         # per BROWSERS entry; () = BROWSERS' own


@dataclass(frozen=True)
class PhonePlan:
    """A national phone numbering plan (used instead of the US formats when set).

    ``formats`` weighs: +CC AREA SUB, +CCAREASUB, 00CC AREA SUB, 0AREA SUB, (0AREA) SUB, 0AREA-SUB,
    AREASUB, SUB (no area code), empty. Without area codes the AREA parts are left out.
    """

    country: str                       # calling code without '+', e.g. "44"
    trunk: str                         # national prefix, e.g. "0", or ""
    area_codes: tuple[str, ...]        # local, most common first; () = no area codes
    travel_area_codes: tuple[str, ...]
    national_area_codes: tuple[str, ...]
    sub_len: int                       # digits of the subscriber number
    formats: tuple[float, ...]
    foreign_countries: tuple[str, ...]  # calling codes of odd foreign numbers


@dataclass(frozen=True)
class Vocabulary:
    """The vocabularies selected by one scenario."""

    region: Region
    names: NameSet
    email: EmailStyle
    odd: Oddities
    platform: Platform
    habits: Habits = Habits()
    platforms: dict = field(default_factory=lambda: PLATFORMS)     # every platform by name, ``platform`` included
    national_area_codes: tuple[str, ...] = NATIONAL_AREA_CODES
    national_postal: tuple[str, ...] = NATIONAL_POSTAL
    national_isp: tuple[str, ...] = NATIONAL_ISP
    mobile_prefixes: tuple[str, ...] = MOBILE_PREFIXES
    vpn_prefixes: tuple[str, ...] = VPN_PREFIXES
    search_referrers: dict = field(default_factory=lambda: SEARCH_REFERRERS)
    phone: PhonePlan | None = None     # None: US-style numbers from the region's area codes

    def platform_for(self, name: str) -> Platform | None:
        """The :class:`Platform` called ``name``, or None (e.g. for ``"news"``)."""
        return self.platforms.get(name)


def vocabulary(scenario) -> Vocabulary:
    """Select the vocabularies named by ``scenario``'s fields.

    Parameters
    ----------
    scenario : Scenario
        Uses its ``region``, ``names``, ``email_style``, ``oddities`` and ``platform``; when its
        ``locale`` is set, the vocabulary is synthesised from it instead (see
        :func:`detector.simulation.synthetic.synthesise`).

    Returns
    -------
    Vocabulary
    """
    if getattr(scenario, "locale", None) is not None:
        from .synthetic import synthesise
        return synthesise(scenario)
    return Vocabulary(REGIONS[scenario.region], NAMES[scenario.names], EMAIL_STYLES[scenario.email_style],
                      ODDITIES[scenario.oddities], PLATFORMS[scenario.platform])
