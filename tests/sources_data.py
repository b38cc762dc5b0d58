"""Small rater files and a small rated database for the outlet-registry tests (no shared data, no models)."""

from __future__ import annotations

import json
from pathlib import Path

from crosscheck import Store
from crosscheck.models import ParsedArticle
from crosscheck.sources import UNKNOWN_OUTLET, outlet_for
from crosscheck.sources.registry import import_file

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

MBFC = [
    {"Rating URL": "https://mediabiasfactcheck.com/harbor-ledger-bias/", "URL": "harborledger.example",
     "Country": "USA", "Objective Reporting": 5, "Accuracy": 3},
    {"Rating URL": "https://mediabiasfactcheck.com/harbor-observer/", "URL": "harborledger.example/observer",
     "Country": "USA", "Objective Reporting": 3, "Accuracy": 2},
    {"Rating URL": "https://mediabiasfactcheck.com/ridge-post/", "URL": "ridgepost.example", "Country": "USA",
     "Objective Reporting": 2, "Accuracy": 1},
    {"Rating URL": "https://mediabiasfactcheck.com/valley-times-bias/", "URL": "valleytimes.example",
     "Country": "Canada", "Objective Reporting": 4, "Accuracy": 2},
    {"Rating URL": "https://mediabiasfactcheck.com/abc-news/", "URL": "abcnews.go.com", "Country": "USA",
     "Objective Reporting": 6, "Accuracy": 3},
    {"Rating URL": "https://mediabiasfactcheck.com/gone/", "URL": "N/A", "Country": "Unknown",
     "Objective Reporting": "N/A", "Accuracy": "N/A"},
]  # fmt: skip

ALLSIDES_2019 = (
    (
        "news_source,rating,rating_num,type,agree,disagree,perc_agree,url,editorial_review,blind_survey,"
        "third_party_analysis,independent_research,confidence_level,twitter,wiki,facebook,screen_name\n"
    )
    + """Harbor Ledger,left-center,2,News Media,10,5,0.66,https://www.allsides.com/news-source/harbor-ledger,0,1,0,1,High,NA,NA,NA,NA
Harbor Ledger - Editorial,left,1,News Media,3,1,0.75,https://www.allsides.com/news-source/harbor-ledger-editorial,0,0,0,1,Low,NA,NA,NA,NA
Ridge Post,right,5,News Media,8,2,0.8,https://www.allsides.com/news-source/ridge-post,0,0,0,1,Medium,NA,NA,NA,NA
Jane Columnist,left,1,Author,1,1,0.5,https://www.allsides.com/news-source/jane-columnist,0,0,0,1,NA,NA,NA,NA,NA
Center Wire,center,3,News Media,20,2,0.9,https://www.allsides.com/news-source/center-wire,0,1,1,1,High,NA,NA,NA,NA
Nowhere Gazette,left,1,News Media,1,1,0.5,https://www.allsides.com/news-source/nowhere-gazette,0,0,0,1,NA,NA,NA,NA,NA
Spinning Top,allsides,NA,News Media,1,1,0.5,https://www.allsides.com/news-source/spinning-top,0,0,0,1,NA,NA,NA,NA,NA
"""
)

ALLSIDES_RECENT = """url,type,name,bias
https://www.valleytimes.example/,News Media,Valley Times,Center
https://www.ridgepost.example/opinion/,News Media,Ridge Post (Opinion),Right
http://abcnews.go.com/,News Media,ABC News (Online),Lean Left
,Author,Someone Else,Lean Left
"""

BALY_7 = """source_url\tsource_url_normalized\tref\tfact\tbias
https://www.harborledger.example/\tharborledger.example\thttps://mediabiasfactcheck.com/harbor-ledger/\thigh\tleft
https://ridgepost.example\tridgepost.example\thttps://mediabiasfactcheck.com/ridge-post/\tlow\textreme-right
https://centerwire.example\tcenterwire.example\thttps://mediabiasfactcheck.com/center-wire/\thigh\tleft-center
"""

LOCAL_NEWS = """name,state,website,domain,twitter,youtube,facebook,owner,medium,source,collection_date
Ridge Post,ME,http://www.ridgepost.example/,ridgepost.example,,,,Summit Media Group,Newspapers,usnpl.com,2018-08-02
KXXX,TX,,,,,,Big Broadcasting,TV station,stationindex,2018-08-02 14:55:24
"""

OWN_CSV = f"""domain,name,aliases,rater,bias,factuality,owner,owner_kind,country,date,source
yle.fi,Yle News,Yle; Yle Uutiset,,center,high,Yleisradio,public broadcaster,Finland,2025-06,https://yle.fi
evil.example,Evil {SCRIPT} Outlet,,,right,low,{IMG} Holdings,private,{SCRIPT}land,2025-01,
ridgepost.example,Ridge Post,,,,,Summit Media Group,private equity,,2024-05,hand check
"""


def write_rater_files(folder: Path) -> dict[str, Path]:
    """The small rater files, one per format (and both AllSides layouts)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "mbfc": folder / "mbfc-2025-12.json",
        "allsides": folder / "allsides-2019-10.csv",
        "allsides_recent": folder / "allsides-recent.csv",
        "baly": folder / "baly-2018.tsv",
        "localnews": folder / "local-news-2018.csv",
        "crosscheck": folder / "own.csv",
    }
    files["mbfc"].write_text(json.dumps(MBFC), encoding="utf-8")
    files["allsides"].write_text(ALLSIDES_2019, encoding="utf-8")
    files["allsides_recent"].write_text(ALLSIDES_RECENT, encoding="utf-8")
    files["baly"].write_text(BALY_7, encoding="utf-8")
    files["localnews"].write_text(LOCAL_NEWS, encoding="utf-8")
    files["crosscheck"].write_text(OWN_CSV, encoding="utf-8")
    return files


# (short name, url, source name, title, duplicate of): one story covered from every side
STORY = [
    ("ledger", "https://www.harborledger.example/2025/06/05/ferry", "Harbor Ledger", "Ferry strike ends"),
    ("ledger-op", "https://harborledger.example/opinion/ferry-deal", "Harbor Ledger", "Opinion: the deal is weak"),
    ("observer", "https://harborledger.example/observer/ferry", "Harbor Ledger", "Observer: crews return"),
    ("ridge", "https://ridgepost.example/news/ferry", "Ridge Post", "Union caves on ferry pay"),
    ("ridge-op", "https://ridgepost.example/opinion/ferry", "Ridge Post", "Opinion: unions lose"),
    ("wire", "https://centerwire.example/ferry", "Center Wire", "Ferry deal agreed"),
    ("copy", "https://blog.unrated.example/ferry", "Unrated Blog", "Ferry deal agreed (copy)"),
    ("yle", None, "Yle", "Finnish view of the ferry strike"),
    ("anon", None, None, "A text with no outlet"),
    ("evil", "https://evil.example/ferry", "Evil", f"Evil take {SCRIPT}"),
]


class RatedDB:
    """A database with the small rater files imported and one story of ten articles (one a copy)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.articles: dict[str, int] = {}
        self.story = 0


def build_rated_db(folder: Path, *, ratings: bool = True) -> RatedDB:
    """Write the rater files, import them (unless ``ratings`` is False) and store the story."""
    built = RatedDB(folder / "rated.db")
    with Store(built.path) as store:
        with store.transaction():
            built.story = store.create_story()
            for number, (name, url, source, title) in enumerate(STORY):
                outlet = outlet_for(url, source)
                original = built.articles.get("wire") if name == "copy" else None
                parsed = ParsedArticle(external_id=name, text=f"{title}. Text {number}.", title=title, url=url,
                                       published=f"2025-06-{number + 1:02d}", location=f"/in/{name}.txt")  # fmt: skip
                article_id = store.insert_article(
                    parsed, key=name, outlet_id=store.outlet_id(outlet.domain, outlet.name or UNKNOWN_OUTLET),
                    text_hash=name, duplicate_of=original, duplicate_kind="exact" if original else None,
                )  # fmt: skip
                built.articles[name] = article_id
                store.set_story(article_id, built.story)
            store.update_story_summary(built.story, headline="Ferry strike ends", bullets=[], why=[])
        if ratings:
            for path in write_rater_files(folder / "raters").values():
                import_file(store, path, rated_on="2018" if path.suffix == ".tsv" else None)
    return built
