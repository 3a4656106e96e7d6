"""Word lists for demo titles and parties, in the languages microdrama is made in.

Each language gives a name from two parts; the English list gives the same two parts, so a
title's English name is a plausible translation of its original one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NameStyle:
    language: str  # BCP 47
    countries: tuple[str, ...]  # where titles in this language are usually made
    first: tuple[str, ...]
    second: tuple[str, ...]
    joiner: str
    season: str  # "{n}" is the season number
    episode: str  # "{n}" is the episode number


ENGLISH = NameStyle(
    "en", ("US", "GB", "PH"),
    ("The Billionaire's", "The Heir's", "The CEO's", "The Secret of the", "The Alpha's",
     "The Mafia King's", "The Queen's", "Destined", "The Promised", "The Return of the"),
    ("Substitute Bride", "Contract Wife", "Revenge", "Hidden Heiress", "Second Chance",
     "Runaway Bride", "Forbidden Love", "Fake Marriage", "Lost Daughter", "Reborn Wife"),
    " ", "Season {n}", "Episode {n}",
)

STYLES = (
    NameStyle(
        "zh-Hans", ("CN",),
        ("总裁的", "少主的", "霸道总裁的", "战神的", "首富的", "龙王的", "皇后的", "命中注定的", "千金的", "王者归来的"),
        ("替身新娘", "契约妻子", "复仇之路", "隐藏千金", "重来一次", "逃跑新娘", "禁忌之恋", "假结婚", "失散女儿", "重生娇妻"),
        "", "第{n}季", "第{n}集",
    ),
    NameStyle(
        "th", ("TH",),
        ("มหาเศรษฐี", "ทายาท", "ซีอีโอ", "ความลับของ", "อัลฟ่า", "เจ้าพ่อมาเฟีย", "ราชินี", "ลิขิตรัก", "สัญญารัก", "การกลับมาของ"),
        ("เจ้าสาวตัวแทน", "ภรรยาตามสัญญา", "แค้นรัก", "ทายาทลับ", "โอกาสครั้งที่สอง", "เจ้าสาวหนีงาน", "รักต้องห้าม", "วิวาห์ลวง", "ลูกสาวที่หายไป", "ภรรยาเกิดใหม่"),
        " ", "ภาค {n}", "ตอนที่ {n}",
    ),
    NameStyle(
        "es-419", ("MX", "CO", "AR"),
        ("La novia sustituta", "La esposa por contrato", "La venganza", "La heredera oculta", "Segunda oportunidad",
         "La novia fugitiva", "Amor prohibido", "El falso matrimonio", "La hija perdida", "La esposa renacida"),
        ("del millonario", "del heredero", "del CEO", "del secreto", "del alfa",
         "del rey de la mafia", "de la reina", "del destino", "de la promesa", "del regreso"),
        " ", "Temporada {n}", "Episodio {n}",
    ),
    NameStyle(
        "pt-BR", ("BR",),
        ("A noiva substituta", "A esposa de contrato", "A vingança", "A herdeira escondida", "Segunda chance",
         "A noiva fugitiva", "Amor proibido", "O falso casamento", "A filha perdida", "A esposa renascida"),
        ("do bilionário", "do herdeiro", "do CEO", "do segredo", "do alfa",
         "do chefão da máfia", "da rainha", "do destino", "da promessa", "do retorno"),
        " ", "Temporada {n}", "Episódio {n}",
    ),
    NameStyle(
        "id", ("ID",),
        ("Pengantin Pengganti", "Istri Kontrak", "Dendam", "Pewaris Tersembunyi", "Kesempatan Kedua",
         "Pengantin yang Kabur", "Cinta Terlarang", "Pernikahan Palsu", "Putri yang Hilang", "Istri yang Terlahir Kembali"),
        ("Sang Miliarder", "Sang Pewaris", "Sang CEO", "Sang Rahasia", "Sang Alfa",
         "Raja Mafia", "Sang Ratu", "Takdir", "Sang Janji", "Kembalinya Sang Raja"),
        " ", "Musim {n}", "Episode {n}",
    ),
    ENGLISH,
)
# Shares of the catalogue by original language (same order as STYLES).
STYLE_WEIGHTS = (45, 10, 10, 8, 10, 17)

# English names give (first, second) in the other order for the Romance languages and
# Indonesian, whose first part is the noun; the English name is always "<first> <second>".
ENGLISH_PARTS_SWAPPED = {"es-419", "pt-BR", "id"}

GENRES = (
    "CEO Romance", "Revenge", "Family Drama", "Werewolf Romance", "Urban Fantasy",
    "Historical Romance", "Thriller", "Comedy", "Rebirth", "Mafia Romance",
)

PRODUCER_PLACES = {
    "CN": ("Hangzhou", "Shenzhen", "Hengdian", "Xi'an", "Chengdu", "Beijing", "Shanghai", "Zhengzhou"),
    "TH": ("Bangkok", "Chiang Mai"),
    "MX": ("Ciudad de México", "Guadalajara"),
    "CO": ("Bogotá", "Medellín"),
    "AR": ("Buenos Aires",),
    "BR": ("São Paulo", "Rio"),
    "ID": ("Jakarta", "Bandung"),
    "US": ("Los Angeles", "Atlanta", "New York"),
    "GB": ("London", "Manchester"),
    "PH": ("Manila",),
}
PRODUCER_WORDS = ("Starlight", "Vertical", "Red Lantern", "Jade", "Sunrise", "Lotus", "Aurora",
                  "Phoenix", "Silver Reel", "Moonlight", "Crimson", "Golden Hour")
PRODUCER_SUFFIX = ("Pictures", "Studios", "Media", "Films", "Entertainment", "Productions")

PLATFORMS = (
    ("ReelShort Asia", "SG", "USD"), ("DramaPop", "US", "USD"), ("FlickReels", "SG", "USD"),
    ("MiniSérie+", "BR", "BRL"), ("TeleCorto", "MX", "MXN"), ("VertiTV", "TH", "THB"),
    ("NovelaShort", "ES", "EUR"), ("KisahPendek", "ID", "IDR"), ("ShortBox Europe", "DE", "EUR"),
)
CHANNELS = (
    ("Drama Minutes FAST", "US", "USD"), ("Canal Corto FAST", "MX", "USD"),
    ("Vertical Love Channel", "GB", "GBP"), ("Novelas Rápidas", "ES", "EUR"),
)
BROADCASTERS = (("Sunrise TV", "PH", "PHP"), ("Canal Nove", "BR", "BRL"))
PUBLISHERS = (("Harbour Lane Music Publishing", "GB", "GBP"), ("Silk Road Songs", "CN", "CNY"),
              ("Trilha Viva Edições", "BR", "BRL"), ("Northbeat Publishing", "US", "USD"))
LABELS = (("Pulse Records", "US", "USD"), ("Jade Sound", "HK", "HKD"))
VENDORS = (("SubtitleHouse", "PH", "USD"), ("VozLatina Doblaje", "MX", "USD"),
           ("LinguaFrame", "PL", "EUR"), ("SiamSub", "TH", "THB"), ("DubNation", "IN", "USD"))

TRACK_WORDS = ("Heartbeat", "Midnight", "Tears", "Golden", "Promise", "Storm", "Rose", "Falling",
               "Echo", "Silk", "Fire", "Rain", "Shadow", "Dawn", "Velvet", "Neon")
TRACK_NOUNS = ("Theme", "Waltz", "Pulse", "Ballad", "Lullaby", "Chase", "Reveal", "Sting",
               "Heart", "Reprise")
COMPOSERS = ("Li Wei", "Chen Yu", "Ana Souza", "Diego Ramírez", "Somchai Ruangrit",
             "Emily Carter", "Budi Santoso", "Zhang Min", "Lucía Fernández", "Tom Hughes")
SOCIETIES = ("MCSC", "PRS", "ASCAP", "BMI", "UBC", "SACM", "MCT", "WAMI")
