"""The detectors on the world's formats, written by hand (the generated corpus is in
``make detect-bench``): phone numbers in national formats with regions, national ids of many
countries, names in every script, addresses across countries, user agents by value, and
column-name hints in the main languages."""

from __future__ import annotations

import pytest

from audit.categories import classify, classify_table, detect_value, holds
from audit.detect import is_security_code_column
from audit.detectors import addresses, agents, hints, ids, names, phones, regions
from audit.detectors.text import data

PHONES = [  # (value, regions of its dataset, region it is in)
    ("+44 20 7946 0018", (), "GB"),
    ("0049 30 901820", (), "DE"),
    ("(0118) 496 0138", ("GB",), "GB"),
    ("080-1885-4926", ("JP",), "JP"),
    ("01 53 51 78 78", ("FR",), "FR"),
    ("02-8063-6083", ("KR",), "KR"),
    ("8 (495) 123-45-67", ("RU",), "RU"),
    ("(11) 91234-5678", ("BR",), "BR"),
    ("(212) 555-0187", ("US",), "US"),
    ("13812345678", ("CN",), "CN"),
    ("030 901820", ("DE",), "DE"),
    ("+90 532 123 45 67", (), "TR"),
]
NOT_PHONES = [  # (value, regions): order numbers, dates, codes, an IP, a padded id
    ("4829104728", ("US",)),
    ("2194809826", ("CN",)),
    ("2026/01/01", ("JP",)),
    ("24.04.2026", ("DE",)),
    ("192.168.10.12", ("DE",)),
    ("123-456-7890", ("DE",)),
    ("0000012345", ("DE",)),
    ("666-42-8121", ("US",)),
    ("978-3-16-148410-0", ("DE",)),
]


@pytest.mark.parametrize(("value", "where", "region"), PHONES)
def test_phone_numbers_in_national_formats(value, where, region):
    assert phones.phone_region(value, where) == region


@pytest.mark.parametrize(("value", "where"), NOT_PHONES)
def test_look_alikes_are_not_phone_numbers(value, where):
    assert phones.phone_region(value, where) is None


IDS = [  # (value, country), valid numbers in the formats people write
    ("123-45-6789", "US"),
    ("130 692 544", "CA"),
    ("2341 2341 2346", "IN"),
    ("2 95 10 99 126 111 93", "FR"),
    ("12345678Z", "ES"),
    ("X1234567L", "ES"),
    ("RSSMRA85T10A562S", "IT"),
    ("390.533.447-05", "BR"),
    ("44051401359", "PL"),
    ("811228-9874", "SE"),
    ("500100732259", "RU"),
    ("10000000146", "TR"),
    ("11010519491231002X", "CN"),
    ("971013-9019902", "KR"),
    ("AB 12 34 56 C", "GB"),
    ("211062-5629", None),  # no check digit (Denmark): only where the dataset is Danish
    ("131052-308T", "FI"),
    ("756.1234.5678.97", "CH"),
]


@pytest.mark.parametrize(("value", "country"), IDS)
def test_national_ids_of_many_countries(value, country):
    assert ids.id_region(value, ()) == country


def test_weak_checks_count_only_in_their_region():
    # a BSN has a mod-11 check that one random 9-digit number in eleven passes
    assert ids.id_region("111222333", ()) is None
    assert ids.id_region("111222333", ("NL",)) == "NL"
    assert ids.id_region("211062-5629", ("DK",)) == "DK"
    # SSN-shaped codes that fail the rules, card-shaped vouchers
    assert ids.id_region("666-12-3456", ()) is None and ids.id_region("000-12-3456", ()) is None


NAMES = [
    "Jean Lawson",
    "Dr. Jean Lawson MD",
    "Lawson, Jean",
    "Łukasz Wiśniewski",
    "Ahmet Yılmaz",
    "Yrd. Doç. Açıkel Gülşahin Yıldırım",
    "Дмитрий Сергеевич Иванов",
    "Олександр Шевченко",
    "Γιώργος Παπαδόπουλος",
    "王伟",
    "欧阳娜娜",
    "玉朵 宇文",
    "田中 太郎",
    "김민준",
    "예린 맥",
    "Inaya van de Noordmark-van der Horst",
]
NOT_NAMES = [
    "West Ruth",
    "Account Manager",
    "Acme Corp",
    "Müller GmbH",
    "Proyectos Ortiz y Cisneros",
    "北京市",
    "张家港县",
    "포항시",
    "Main Street",
    "Erica Trace",
    "2024 Report",
    "Self-enabling optimal architecture",
]


@pytest.mark.parametrize("value", NAMES)
def test_names_in_every_script(value):
    assert names.is_name(value), value


@pytest.mark.parametrize("value", NOT_NAMES)
def test_places_jobs_firms_are_not_names(value):
    assert not names.is_name(value), value


def test_a_column_of_product_names_is_not_a_column_of_names():
    products = [
        f"{w} {s}" for w in ("Grace", "Rose", "Max", "Ruby", "Jack") * 12 for s in ("Pro", "Max")
    ]
    assert classify("c03", products).category is None
    people = [
        f"{g} {s}"
        for g in ("Ann", "Bo", "Cy", "Di", "Eve", "Flo")
        for s in ("Lee", "Chan", "Diaz", "Ekker", "Fox")
    ]
    assert classify("c04", people).category == "person_name"


ADDRESSES = [
    "7835 Erica Trace\nFarleytown, MT 73436",
    "Röhrichtweg 52\n58683 Güstrow",
    "45, rue de Samson\n58396 Sainte Virginie",
    "Calle de Alcalá 48, 28014 Madrid",
    "Via Roma 12, 00184 Roma",
    "Rua Augusta 100, 1100-053 Lisboa",
    "Fennelaan 5\n5834 LF Veenklooster",
    "ul. Kilińskiego 41/58\n55-520 Świecie",
    "Kvarngatan 40\n28124 Lidingö",
    "Çağatay Caddesi 276 24467 Bitlis",
    "ул. Баумана, д. 224, кв. 9",
    "Klímova 7\n457 54 Holýšov",
    "北京市朝阳区建国路88号",
    "東京都千代田区丸の内1丁目2番3号",
    "서울특별시 강남구 테헤란로 123",
]


@pytest.mark.parametrize("value", ADDRESSES)
def test_addresses_across_countries(value):
    assert addresses.is_address(value), value


@pytest.mark.parametrize(
    "value",
    [
        "Lake Victoria",
        "Main Street",
        "国立市",
        "/home/user/Dev/main.py",
        "2026-03-04",
        "Order 5 items today",
    ],
)
def test_places_and_paths_are_not_addresses(value):
    assert not addresses.is_address(value)


def test_user_agents_by_value_without_a_name():
    uas = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
        "curl/8.5.0",
        "okhttp/4.12.0",
        "Dalvik/2.1.0 (Linux; U; Android 11; SM-A515F Build/RP1A.200720.012)",
    ] * 10
    assert all(agents.is_user_agent(u) for u in uas)
    assert classify("c07", uas).category == "user_agent"
    assert not agents.is_user_agent("/usr/local/bin/python3.11")


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Telefonnummer", "phone"),
        ("電話番号", "phone"),
        ("手机号", "phone"),
        ("전화번호", "phone"),
        ("телефон", "phone"),
        ("courriel", "email"),
        ("correo_electronico", "email"),
        ("geburtsdatum", "date_of_birth"),
        ("dogum_tarihi", "date_of_birth"),
        ("生年月日", "date_of_birth"),
        ("anschrift", "postal_address"),
        ("indirizzo", "postal_address"),
        ("住所", "postal_address"),
        ("nome_completo", "person_name"),
        ("ФИО", "person_name"),
        ("氏名", "person_name"),
        ("Personnummer", "government_id"),
        ("tc_kimlik_no", "government_id"),
        ("身份证号", "government_id"),
        ("KartenPrüfnummer", "card_security_code"),
        ("cryptogramme", "card_security_code"),
        ("codigo_seguridad", "card_security_code"),
        ("セキュリティコード", "card_security_code"),
        ("raison_sociale", "organisation"),
        ("会社名", "organisation"),
        ("ip_adresse", "ip_address"),
        ("navegador", "user_agent"),
        ("koordinaten", "precise_location"),
        ("order_number", None),
        ("file_name", None),
        ("product_name", None),
        ("created_at", None),
    ],
)
def test_column_name_hints_in_many_languages(name, category):
    assert hints.category_from_name(name) == category


def test_every_category_of_the_hints_table_is_a_category_and_every_hint_folds():
    from audit.categories import CATEGORIES

    table = data("name_hints.yml")
    cats = [c["category"] for c in table["categories"]]
    assert set(cats) <= set(CATEGORIES) and len(cats) == len(set(cats))
    for entry in table["categories"]:
        for stem in entry.get("stems") or []:
            assert len(str(stem)) >= 5, (entry["category"], stem)  # short stems match too much


def test_card_security_codes_by_a_name_in_many_languages():
    codes = [str(100 + i * 7) for i in range(50)]
    for name in ("cvv", "CVC", "Kartenprüfnummer", "cryptogramme", "codigo_seguridad", "보안코드"):
        assert classify(name, codes).category == "card_security_code", name
        assert is_security_code_column(name)
    assert classify("quantity", codes).category is None


def test_regions_come_from_country_codes_scripts_and_domains():
    assert regions.infer([["+49 30 1234567"]]) == ("DE",)
    assert regions.infer([["김민준"]]) == ("KR",)
    assert regions.infer([["anna@example.pl", "Łukasz"]])[0] == "PL"
    assert regions.infer([["x"]], configured=["fr"]) == ("FR",)


def test_a_table_reads_national_formats_of_the_regions_its_values_point_to():
    table = [
        ("c1", ["080-1885-4926", "090-3703-4566", "03-1234-5678", "06-6123-4567", "011-222-3333"]),
        ("c2", ["田中 太郎", "山田 花子", "佐藤 健", "鈴木 一郎", "高橋 美咲"]),
    ]
    assert [c.category for c in classify_table(table)] == ["phone", "person_name"]
    # without a hint of Japan, the national format is no phone number
    assert classify("c1", table[0][1]).category is None
    # the config's regions come first
    assert classify_table(table[:1], configured=["JP"])[0].category == "phone"


def test_counting_reads_values_as_the_column_was_classified():
    assert holds("phone", "080-1885-4926", ("JP",)) and not holds("phone", "080-1885-4926")
    assert holds("person_name", "Edsger Hopper")  # shaped like a name, in a column of names
    assert detect_value("Edsger Hopper") is None  # alone, no word of it is a known name
