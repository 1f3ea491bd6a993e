from __future__ import annotations

import html
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from balie.knowledge import errors, markdown, services
from balie.knowledge.models import Article, ArticleStatus, ArticleTranslation
from balie.knowledge.services import transfer
from balie.knowledge.services.foreign import markup
from balie.tenancy.models import Shop

FIXTURES = Path(__file__).parent / "fixtures"


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _translation(key: str, locale: str = "nl") -> ArticleTranslation:
    return ArticleTranslation.objects.select_related("article__topic").get(
        article__key=key, locale=locale
    )


# Importing Zendesk Guide


def test_a_zendesk_export_creates_its_articles_with_topics_tags_and_status(shop: Shop) -> None:
    # when
    result = services.knowledge_import(
        shop=shop, content=_fixture("zendesk_articles__dutch.json"), file_format="zendesk"
    )
    # then
    assert (result.created, result.updated, result.unchanged, result.problems) == (4, 0, 0, [])
    returns = _translation("zendesk-360001234501")
    assert returns.title == "Hoe meld ik een retour aan?"
    assert returns.status == ArticleStatus.PUBLISHED
    assert returns.tags == ["retour", "terugsturen", "retourlabel"]
    assert returns.article.topic is not None
    assert returns.article.topic.slug == "retourneren-ruilen"
    assert "1. Log in op [Mijn account](https://www.pollepel.nl/account)." in returns.body
    assert "     - ook als die in delen is geleverd" in returns.body
    assert "[verzendkosten](/hc/nl/articles/360001234502) & voorwaarden." in returns.body
    assert "phish" not in returns.body
    assert "<script" not in returns.body_html
    costs = _translation("zendesk-360001234502")
    assert "<th>Levertijd</th>" in costs.body_html
    assert "| België | 2–3 werkdagen | € 6,95 |" in costs.body
    assert _translation("zendesk-360001234503").status == ArticleStatus.DRAFT


def test_a_zendesk_article_for_some_readers_only_is_imported_for_agents(shop: Shop) -> None:
    # when
    services.knowledge_import(
        shop=shop, content=_fixture("zendesk_articles__dutch.json"), file_format="zendesk"
    )
    # then
    internal = Article.objects.filter(is_internal=True).values_list("key", flat=True)
    assert list(internal) == ["zendesk-360001234504"]


def test_zendesk_translations_one_a_line_become_the_languages_of_one_article(shop: Shop) -> None:
    # when
    result = services.knowledge_import(
        shop=shop,
        content=_fixture("zendesk_articles__translations.jsonl"),
        file_format="zendesk",
    )
    # then
    assert result.created == 3
    article = Article.objects.get()
    assert article.key == "zendesk-360001234501"
    assert sorted(article.translations.values_list("locale", "status")) == [
        ("en-US", ArticleStatus.PUBLISHED),
        ("nl", ArticleStatus.PUBLISHED),
        ("nl-BE", ArticleStatus.DRAFT),
    ]


def test_importing_the_same_export_twice_changes_nothing_the_second_time(shop: Shop) -> None:
    # given
    content = _fixture("zendesk_articles__dutch.json")
    services.knowledge_import(shop=shop, content=content, file_format="zendesk")
    # when
    result = services.knowledge_import(shop=shop, content=content, file_format="zendesk")
    # then
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)


def test_a_zendesk_file_that_is_not_json_names_its_line_and_imports_nothing(shop: Shop) -> None:
    # when
    with pytest.raises(errors.ImportInvalid) as raised:
        services.knowledge_import(
            shop=shop, content=_fixture("zendesk_articles__broken.json"), file_format="zendesk"
        )
    # then
    assert raised.value.problems == [
        "Regel 10, kolom 7: geen geldige JSON (Expecting ',' delimiter)."
    ]
    assert not Article.objects.exists()


def test_bad_zendesk_articles_are_named_by_place_and_id_and_nothing_is_imported(
    shop: Shop,
) -> None:
    # when
    with pytest.raises(errors.ImportInvalid) as raised:
        services.knowledge_import(
            shop=shop,
            content=_fixture("zendesk_articles__bad_articles.json"),
            file_format="zendesk",
        )
    # then
    assert raised.value.problems == [
        "Artikel 2 (id 360001234505): Geef het artikel een titel.",
        "Artikel 3 (id 360001234506): label_names moet een lijst zijn.",
        "Artikel 4: id ontbreekt of is geen getal.",
        "Artikel 5 (id 360001234507): Onbekende taalcode: gebruik bijvoorbeeld nl, en of nl-BE.",
        "Artikel 6: een artikel is een JSON-object.",
    ]
    assert not Article.objects.exists()


def test_valid_only_imports_the_good_articles_and_still_lists_the_bad(shop: Shop) -> None:
    # when
    result = services.knowledge_import(
        shop=shop,
        content=_fixture("zendesk_articles__bad_articles.json"),
        file_format="zendesk",
        valid_only=True,
    )
    # then
    assert result.created == 1
    assert len(result.problems) == 5
    assert list(Article.objects.values_list("key", flat=True)) == ["zendesk-360001234501"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"articles": {"id": 1}}', "Het bestand: articles moet een lijst zijn."),
        (b"42", "Regel 1: verwacht een artikel, een lijst van artikelen of een pagina van de API."),
        (b'{"articles": []}', "Geen artikelen gevonden: is dit een export van Zendesk?"),
        (
            b'{"id": 7, "title": "Retour", "body": "", "locale": "nl"}\n{"id": 7, "title": "Retour", "locale": "nl"}\n',
            "Regel 2 (id 7): zendesk-7 (nl) staat ook bij regel 1.",
        ),
        (
            b'{"id": 7, "title": "Retour", "draft": "nee"}\n',
            "Artikel 1 (id 7): draft is true of false.",
        ),
        (
            b'{"id": 7, "title": "Retour"}\n{"id": 8, "title": \n',
            "Regel 2: geen geldige JSON.",
        ),
    ],
)
def test_a_wrong_shape_is_a_problem_with_its_place(content: bytes, problem: str) -> None:
    # when
    _rows, problems = transfer.rows_read(content, file_format="zendesk")
    # then
    assert problems == [problem]


# Importing Freshdesk


def test_a_freshdesk_folder_list_becomes_articles_with_their_folder_as_topic(shop: Shop) -> None:
    # when
    result = services.knowledge_import(
        shop=shop, content=_fixture("freshdesk_solutions__basic.json"), file_format="freshdesk"
    )
    # then
    assert (result.created, result.problems) == (3, [])
    methods = _translation("freshdesk-80000456701")
    assert methods.article.topic is not None
    assert methods.article.topic.slug == "betalen-afrekenen"
    assert methods.tags == ["betalen", "ideal"]
    assert "- iDEAL\n  - alle Nederlandse banken\n" in methods.body
    assert "| **Methode** | **Kosten** |\n| --- | --- |\n" in methods.body
    assert "(https://www.pollepel.nl/betalen?utm_source=freshdesk&x=1)" in methods.body
    assert "trackHelpdesk" not in methods.body
    assert _translation("freshdesk-80000456702").status == ArticleStatus.DRAFT
    invoice = _translation("freshdesk-80000456703")
    assert invoice.body == (
        "Je factuur staat in Mijn account onder Bestellingen.\n\n"
        "Klik op \\* Factuur \\* om hem als PDF op te slaan."
    )


def test_freshdesk_folders_give_topics_languages_and_keep_agents_folders_internal(
    shop: Shop,
) -> None:
    # when
    services.knowledge_import(
        shop=shop, content=_fixture("freshdesk_solutions__folders.json"), file_format="freshdesk"
    )
    # then
    delivery = Article.objects.get(key="freshdesk-80000456704")
    assert sorted(delivery.translations.values_list("locale", flat=True)) == ["en", "nl"]
    assert delivery.topic is not None
    assert (delivery.topic.slug, delivery.is_internal) == ("bezorging", False)
    instructions = Article.objects.get(key="freshdesk-80000456705")
    assert instructions.topic is not None
    assert (instructions.topic.slug, instructions.is_internal) == ("werkinstructies-team", True)


def test_bad_freshdesk_articles_are_named_by_place(shop: Shop) -> None:
    # given
    content = json.dumps(
        [
            {"id": 1, "title": "Betalen", "description": "<p>iDEAL</p>", "status": 3},
            {"id": 2, "title": "Bezorgen", "description": "<p>PostNL</p>", "tags": "post"},
            {"id": 3, "title": ["Lijst"], "description": 12},
        ]
    ).encode()
    # when
    with pytest.raises(errors.ImportInvalid) as raised:
        services.knowledge_import(shop=shop, content=content, file_format="freshdesk")
    # then
    assert raised.value.problems == [
        "Artikel 1 (id 1): status is 1 (concept) of 2 (gepubliceerd).",
        "Artikel 2 (id 2): tags moet een lijst zijn.",
        "Artikel 3 (id 3): title moet tekst zijn.",
        "Artikel 3 (id 3): description moet tekst zijn.",
    ]


# Recognising the format, the command and the API


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("zendesk_articles__dutch.json", "zendesk"),
        ("zendesk_articles__translations.jsonl", "zendesk"),
        ("zendesk_articles__broken.json", "zendesk"),
        ("freshdesk_solutions__basic.json", "freshdesk"),
        ("freshdesk_solutions__folders.json", "freshdesk"),
    ],
)
def test_an_export_is_recognised_by_its_content(name: str, expected: str) -> None:
    # when
    found = services.import_format("export.json", _fixture(name))
    # then
    assert found == expected


def test_our_own_files_are_still_recognised_as_ours() -> None:
    # given
    ours = b'{"id": "retour", "title": "Retour", "body": "Tekst", "locale": "nl"}\n'
    # when
    found = [
        services.import_format(name, content)
        for name, content in [("kb.json", ours), ("kb", ours), ("kb.csv", b"id,title\n")]
    ]
    # then
    assert found == ["jsonl", "jsonl", "csv"]


def test_the_import_command_reads_a_zendesk_export(shop: Shop, tmp_path: Path) -> None:
    # given
    path = tmp_path / "articles.json"
    path.write_bytes(_fixture("zendesk_articles__dutch.json"))
    out = StringIO()
    # when
    call_command("import_kb", str(path), "--shop", "pollepel", stdout=out)
    # then
    assert out.getvalue().strip() == "4 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 regels overgeslagen."


def test_the_import_command_takes_the_freshdesk_format(shop: Shop, tmp_path: Path) -> None:
    # given
    path = tmp_path / "oplossingen.txt"
    path.write_bytes(_fixture("freshdesk_solutions__basic.json"))
    out = StringIO()
    # when
    call_command("import_kb", str(path), "--shop", "pollepel", "--format", "freshdesk", stdout=out)
    # then
    assert out.getvalue().startswith("3 nieuw")


def test_the_api_imports_a_freshdesk_export_and_refuses_a_broken_zendesk_one(
    shop: Shop, api_client: Client
) -> None:
    # when
    imported = api_client.post(
        "/api/v1/knowledge/import?format=freshdesk",
        data=_fixture("freshdesk_solutions__folders.json"),
        content_type="application/json",
    )
    refused = api_client.post(
        "/api/v1/knowledge/import?format=zendesk",
        data=_fixture("zendesk_articles__broken.json"),
        content_type="application/json",
    )
    # then
    assert imported.status_code == 200
    assert imported.json() == {"created": 3, "updated": 0, "unchanged": 0, "problems": []}
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"].startswith("Regel 10, kolom 7:")


@settings(max_examples=60)
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    ["articles", "article", "sections", "folders", "id", "title", "body",
                     "description", "locale", "label_names", "tags", "status", "draft",
                     "section_id", "folder_id", "hierarchy", "data", "name", "type"]
                ),
                inner,
                max_size=6,
            ),
            max_leaves=20,
        ).map(lambda value: json.dumps(value).encode()),
    ),
    file_format=st.sampled_from(["zendesk", "freshdesk"]),
)  # fmt: skip
def test_any_file_as_an_export_gives_rows_or_problems_never_an_exception(
    content: bytes, file_format: str
) -> None:
    # when
    rows, problems = transfer.rows_read(content, file_format=file_format)
    # then
    assert all(isinstance(problem, str) and problem for problem in problems)
    assert all(row.data.key.startswith(file_format) for row in rows)


# HTML to Markdown


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>Prijs:&nbsp;&euro;&nbsp;4,95 &amp; meer&hellip;</p>", "Prijs: € 4,95 & meer…"),
        (
            '<p>Hallo</p><script>alert("x")</script><style>p { color: red }</style>'
            '<iframe src="https://www.youtube.com/embed/x"><p>Geen video?</p></iframe><p>wereld</p>',
            "Hallo\n\nwereld",
        ),
        (
            '<a href="https://pollepel.nl/retour">retour</a> <a href="/hc/nl/articles/1">artikel</a> '
            '<a href="mailto:hallo@pollepel.nl">mail</a> <a href=" JaVa&#x53;cript:alert(1)">klik</a> '
            '<a href="data:text/html,x">data</a> <a href="/pad met spatie (1).pdf">pdf</a>',
            "[retour](https://pollepel.nl/retour) [artikel](/hc/nl/articles/1) "
            "[mail](mailto:hallo@pollepel.nl) klik data [pdf](/pad%20met%20spatie%20%281%29.pdf)",
        ),
        (
            "<ul><li>Een<ul><li>Twee<ol><li>Drie</li></ol></li></ul></li><li>Vier</ul>",
            "- Een\n  - Twee\n    1. Drie\n- Vier",
        ),
        ('<ol start="4"><li><p>Vier</p><p>nog iets</p></li><li>Vijf', "4. Vier\n\n   nog iets\n5. Vijf"),
        ("<ul><li>a</li></ul><ul><li>b</li></ul>", "- a\n\n* b"),
        (
            "<table><tr><th>Land</th><th>Kosten</th></tr><tr><td>België</td><td>€ 6,95 | ex.</td></tr></table>",
            "| Land | Kosten |\n| --- | --- |\n| België | € 6,95 \\| ex. |",
        ),
        (
            '<table><tr><td colspan="2">Overzicht</td></tr><tr><td>a</td><td>b</td></tr></table>',
            "Overzicht\n\na\n\nb",
        ),
        ("<table><tr><td><p>Let op!</p><ul><li>breekbaar</li></ul></td></tr></table>", "Let op!\n\n- breekbaar"),
        ("<h1>Kop</h1><h3>Sub</h3><p>regel een<br>regel twee<br><br>nieuwe alinea</p>",
         "# Kop\n\n### Sub\n\nregel een\\\nregel twee\n\nnieuwe alinea"),
        ('<p><img src="/plaatjes/label.png" alt="Het retourlabel"> <img src="https://x.nl/a/b%20c.png"></p>',
         "[Het retourlabel](/plaatjes/label.png) [b c.png](https://x.nl/a/b%20c.png)"),
        ('<img src="javascript:alert(1)" alt="Logo">', "Logo"),
        ("<blockquote><p>Let op</p><p>- geen lijst</p></blockquote>", "> Let op\n>\n> \\- geen lijst"),
        (
            '<pre><code class="language-js">if (a &lt; b) {\n  go();\n}</code></pre>',
            "```js\nif (a < b) {\n  go();\n}\n```",
        ),
        ("<p>Typ <code>a`b</code> of <kbd>Ctrl</kbd></p>", "Typ ``a`b`` of `Ctrl`"),
        (
            "<p>1. geen lijst, *geen* nadruk, [geen] link, snake_case, _x_ &lt;b&gt; &amp;lt;</p>",
            r"1\. geen lijst, \*geen\* nadruk, \[geen\] link, snake_case, \_x\_ &lt;b> &amp;lt;",
        ),
        ("<p># geen kop</p><p>- geen</p><p>===</p><p>&gt; geen citaat</p>",
         "\\# geen kop\n\n\\- geen\n\n\\===\n\n\\> geen citaat"),
        ("<p><b>vet </b>en<i> schuin</i> <del>weg</del> <strong> </strong></p>",
         "**vet** en *schuin* ~~weg~~"),
        ('<p><span style="color:red">rood</span> <u>onder</u> <font face="Arial">letter</font></p>',
         "rood onder letter"),
        ("<span><p>een</p><p>twee</p></span>", "een\n\ntwee"),
        ("<div>een<div>twee</div>drie</div>", "een\n\ntwee\n\ndrie"),
        ("", ""),
    ],
)  # fmt: skip
def test_html_becomes_markdown(body: str, expected: str) -> None:
    # when
    converted = markup.markdown(body)
    # then
    assert converted == expected


def test_deep_nesting_keeps_its_text() -> None:
    # given
    body = "<div>" * 5000 + "diep" + "</div>" * 5000 + "<ul>" * 300 + "<li>lijst"
    # when
    converted = markup.markdown(body)
    # then
    assert converted.startswith("diep")
    assert converted.endswith("lijst")


_TAGS = [
    "p", "div", "span", "b", "strong", "i", "em", "a", "ul", "ol", "li", "h2", "blockquote",
    "pre", "code", "table", "tr", "td", "th", "br", "img", "script", "style", "iframe", "hr",
    "u", "del",
]  # fmt: skip
_ATTRIBUTES = [
    "", ' href="javascript:alert(1)"', ' href="/retour"', ' src="x.png" alt="<script>"',
    ' colspan="2"', ' start="3"', ' onclick="alert(1)"',
]  # fmt: skip
_PIECES = [
    "<script>alert(1)</script>", "&lt;script&gt;", "<", ">", "&", "&amp;", "&nbsp;", "*", "_",
    "#", "- ", "1. ", "|", "`", "[", "]", "\n", "<!-- x -->", "script", "<!DOCTYPE [",
]  # fmt: skip
_html = st.recursive(
    st.text(max_size=12) | st.sampled_from(_PIECES),
    lambda children: st.builds(
        lambda tag, attributes, inner: f"<{tag}{attributes}>{''.join(inner)}</{tag}>",
        st.sampled_from(_TAGS),
        st.sampled_from(_ATTRIBUTES),
        st.lists(children, max_size=4),
    ),
    max_leaves=30,
).map(str)


@settings(max_examples=300)
@given(body=st.lists(_html, max_size=4).map("".join))
def test_any_html_becomes_markdown_without_a_script(body: str) -> None:
    # when
    converted = markup.markdown(body)
    # then
    assert "<script" not in markdown.render(converted).lower()
    if not re.search(r"<(pre|code)", body):  # code shows its text as it is, as code
        assert "<script" not in converted.lower()


@settings(max_examples=300)
@given(body=st.text())
def test_any_text_never_raises(body: str) -> None:
    # when
    converted = markup.markdown(body)
    # then
    assert isinstance(converted, str)


@settings(max_examples=300)
@given(
    words=st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\xa0")
        | st.sampled_from(" \n\t"),
        max_size=60,
    )
)
def test_escaped_text_reads_back_as_the_same_words(words: str) -> None:
    # when
    converted = markup.markdown(html.escape(words))
    # then
    assert markdown.plain_text(converted) == re.sub(r"[ \t\n]+", " ", words).strip()
