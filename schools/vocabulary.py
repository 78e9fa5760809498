"""Words the region's spreadsheets are read by: column-header synonyms and the values people
write in «Вид», «Категория», «Роль», «Сельская» cells. Not shown to anybody — they are what the
readers recognise (like ``roadmaps/importing/structure.py``'s header words)."""

from schools.models import ExecutorAlias, Membership, Municipality, Organization, SchoolStatus

Kind = Organization.Kind
Role = Membership.Role


def fold_letters(text: str) -> str:
    """Case and «ё» differ between documents; the word does not."""
    return str(text or "").lower().replace("ё", "е")


HEADER_SYNONYMS = {
    # organizations
    "code": ("внешний код", "код организации", "код оо", "код в реестре", "код фис фрдо"),
    "kind": ("вид организации", "тип", "тип организации"),
    "name": ("полное наименование", "наименование", "название"),
    "short_name": ("краткое наименование", "сокращенное наименование", "сокращенное название"),
    "municipality": ("муниципальное образование", "мо", "муниципальный район округ"),
    "municipality_kind": ("вид мо", "тип муниципалитета"),
    "legal_form": ("опф", "правовая форма"),
    "parent_code": ("головная организация код", "код головной"),
    "is_rural": ("сельская школа",),
    "is_small": ("малокомплектная школа",),
    "director": ("директор", "фио руководителя", "руководитель фио"),
    "address": ("юридический адрес", "почтовый адрес"),
    "website": ("адрес сайта", "официальный сайт"),
    "email": ("email", "e mail", "электронная почта", "эл почта", "почта"),
    "phone": ("телефоны",),
    # statuses
    "status_name": (
        "наименование",
        "наименование оо",
        "организация",
        "школа",
        "полное наименование",
        "краткое название",
        "наименование организации",
    ),
    "category": ("статус", "программа"),
    "level": ("уровень школы минпросвещения",),
    "basis": ("документ", "основание документ", "приказ"),
    # people
    "full_name": ("фамилия имя отчество", "фио сотрудника"),
    "organization": ("код организации", "организация код", "краткое название"),
}

KIND_WORDS = {
    "школа": Kind.SCHOOL,
    "оо": Kind.SCHOOL,
    "общеобразовательная организация": Kind.SCHOOL,
    "моуо": Kind.MUNICIPAL_AUTHORITY,
    "орган управления образованием": Kind.MUNICIPAL_AUTHORITY,
    "управление образования": Kind.MUNICIPAL_AUTHORITY,
    "методический центр": Kind.METHODICAL_CENTRE,
    "ммц": Kind.METHODICAL_CENTRE,
    "имц": Kind.METHODICAL_CENTRE,
    "департамент": Kind.DEPARTMENT,
    "министерство": Kind.DEPARTMENT,
    "институт": Kind.INSTITUTE,
    "региональный оператор": Kind.INSTITUTE,
    "центр оценки качества": Kind.ASSESSMENT_CENTRE,
    "рцоко": Kind.ASSESSMENT_CENTRE,
    "другая": Kind.OTHER,
    "другое": Kind.OTHER,
}
MUNICIPALITY_KIND_WORDS = {
    "го": Municipality.Kind.CITY_DISTRICT,
    "городской округ": Municipality.Kind.CITY_DISTRICT,
    "мр": Municipality.Kind.MUNICIPAL_DISTRICT,
    "район": Municipality.Kind.MUNICIPAL_DISTRICT,
    "муниципальный район": Municipality.Kind.MUNICIPAL_DISTRICT,
    "мо": Municipality.Kind.MUNICIPAL_OKRUG,
    "муниципальный округ": Municipality.Kind.MUNICIPAL_OKRUG,
    "зато": Municipality.Kind.ZATO,
}
CATEGORY_WORDS = {
    "шнор": SchoolStatus.Category.SHNOR,
    "шнсу": SchoolStatus.Category.SHNSU,
    "риск": SchoolStatus.Category.RISK,
    "группа риска": SchoolStatus.Category.RISK,
    "опорная": SchoolStatus.Category.SUPPORT,
    "опорная школа": SchoolStatus.Category.SUPPORT,
    "школа минпросвещения россии": SchoolStatus.Category.MINPROS,
    "школа минпросвещения": SchoolStatus.Category.MINPROS,
    "шмр": SchoolStatus.Category.MINPROS,
}
LEVEL_WORDS = {
    "ниже базового": SchoolStatus.Level.BELOW_BASIC,
    "базовый": SchoolStatus.Level.BASIC,
    "средний": SchoolStatus.Level.MEDIUM,
    "полный": SchoolStatus.Level.FULL,
    "высокий": SchoolStatus.Level.FULL,
}
ROLE_WORDS = {
    "координатор": Role.COORDINATOR,
    "региональный координатор": Role.COORDINATOR,
    "куратор": Role.CURATOR,
    "моуо": Role.MUNICIPAL,
    "специалист моуо": Role.MUNICIPAL,
    "муниципальный специалист": Role.MUNICIPAL,
    "директор": Role.DIRECTOR,
    "руководитель": Role.DIRECTOR,
    "руководитель оо": Role.DIRECTOR,
    "департамент": Role.DEPARTMENT,
    "специалист департамента": Role.DEPARTMENT,
}
GROUP_WORDS = {value: value for value in ExecutorAlias.Group.values}
YES = {"да", "1", "true", "yes", "+", "д", "истина"}
NO = {"нет", "0", "false", "no", "-", "н", "ложь", ""}
