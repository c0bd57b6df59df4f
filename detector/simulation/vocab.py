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

from dataclasses import dataclass

from .places import NAMES, ODDITIES, REGIONS, NameSet, Oddities, Region, words

__all__ = [
    "BROWSERS", "EMAIL_STYLES", "SEARCH_REFERRERS", "UA_FILL", "NAMES", "ODDITIES", "PLATFORMS", "REGIONS",
    "EmailStyle", "NameSet", "Oddities", "Platform", "Region", "Vocabulary", "vocabulary",
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
}


@dataclass(frozen=True)
class Vocabulary:
    """The vocabularies selected by one scenario."""

    region: Region
    names: NameSet
    email: EmailStyle
    odd: Oddities
    platform: Platform

    @staticmethod
    def platform_for(name: str) -> Platform | None:
        """The :class:`Platform` called ``name``, or None (e.g. for ``"news"``)."""
        return PLATFORMS.get(name)


def vocabulary(scenario) -> Vocabulary:
    """Select the vocabularies named by ``scenario``'s fields.

    Parameters
    ----------
    scenario : Scenario
        Uses its ``region``, ``names``, ``email_style``, ``oddities`` and ``platform``.

    Returns
    -------
    Vocabulary
    """
    return Vocabulary(REGIONS[scenario.region], NAMES[scenario.names], EMAIL_STYLES[scenario.email_style],
                      ODDITIES[scenario.oddities], PLATFORMS[scenario.platform])
