"""The negative SHACL cases as data: one mutation of ``shapes/examples/valid.ttl`` per constraint.

Each :class:`Case` is a list of text edits of ``valid.ttl`` that breaks it in one place, so that
exactly one constraint of ``shapes/*.ttl`` fires: the table below is the whole of the cases.
``tests/test_shapes_negative.py`` applies each in memory (:func:`mutate`) and checks that its
constraint, and only it, fires, with the curator message and the record to fix; a new constraint
without a case fails there. ``python tests/tools/make_negative_cases.py DIR`` writes the cases as
files, for anyone running pySHACL by hand.

``crm=True`` marks breaks that the CRM term check of ``cwgraph.validation.validate`` reports as well:
the value of a ``crm:`` property is outside the property's range in the CIDOC-CRM RDFS (a
literal where a node is expected, a type IRI that is not in the graph). ``no_source`` says why
the focus node has no ``cw:sourceRecord`` (types and the dataset come from the mapping).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.namespace import SH

ROOT = Path(__file__).resolve().parents[1]
VALID = ROOT / "shapes" / "examples" / "valid.ttl"
CWSH = "https://w3id.org/cwgraph/shapes#"
NO_SOURCE = "(no source record)"

# block starts in valid.ttl (an edit applies inside the block that starts with one of these)
CABLE = "<document/110296> a "
CABLE_TITLE = "<document/110296/title> a "
CABLE_ID = "<document/110296/record-id> a "
CABLE_CREATION = "<document/110296/creation> a "
CABLE_TIME = "<document/110296/creation/time> a "
COMM = "<document/110296/communication> a "
SENDING = "<document/110296/communication/sending> a "
RECEIPT = "<document/110296/communication/receipt> a "
SENDER_ROLE = "<document/110296/communication/sending/actor/joseph-stalin> a "
RECIPIENT_ROLE = "<document/110296/communication/receipt/actor/mao-zedong> a "
STALIN = "<person/joseph-stalin> a "
MAO = "<person/mao-zedong> a "
STALIN_EVIDENCE = "<person/joseph-stalin/evidence/wikidata> a "
MAO_NAME = "<person/mao-zedong/name> a "
KUZNETSOV = "<name/kuznetsov> a "
ASSIGNMENT = "<name/kuznetsov/assignment> a "
MEMO = "<document/110003> a "
CONVERSATION = "<document/110003/conversation> a "
MISSION = "<event/mikoyan-mission-1949> a "
NOTES = "<document/116506> a "
NOTES_CREATION = "<document/116506/creation> a "
AUTHOR_ROLE = "<document/116506/creation/actor/anastas-mikoyan> a "
CCP = "<group/chinese-communist-party> a "
CHINA = "<place/china> a "
CIVIL_WAR = "<event/chinese-civil-war> a "
TREATY = "<event/sino-soviet-treaty-1950> a "
MELNIKOV_BEARER = "<actor/cover-melnikov> a "
SCHEME = "<type/scheme> a "
CABLE_TYPE = "<type/cable> a "
WAR_TYPE = "<type/war> a "
DATASET = "<collection/sino-soviet-alliance> a "

TYPES_ARE_MAPPING = "type concepts are emitted by the mapping, not read from a record"
DATASET_IS_CONFIG = "the dataset description comes from the configuration, not from a record"


@dataclass(frozen=True)
class Edit:
    block: str  # the start of the block (subject line) the edit applies in
    old: str
    new: str


@dataclass(frozen=True)
class Case:
    shape: str  # local name in cwsh:
    param: str  # the sh: parameter of the constraint component (minCount, class, or, ...)
    broken: str
    edits: list[Edit]
    crm: bool = False  # the CRM term check necessarily reports the break too
    no_source: str = ""  # why the focus node has no cw:sourceRecord (types, dataset)

    @property
    def component(self) -> str:
        return self.param[0].upper() + self.param[1:] + "ConstraintComponent"

    @property
    def filename(self) -> str:
        return f"{self.shape}--{self.param}.ttl"


def E(block: str, old: str, new: str) -> Edit:  # noqa: N802 - short constructor for the table
    return Edit(block, old, new)


def drop(block: str, line: str) -> Edit:
    """Remove one whole line (given without indentation and newline) from a block."""
    return Edit(block, f"    {line}\n", "")


def _label_cases(shape: str, block: str, label: str, what: str) -> list[Case]:
    """minCount, maxCount, datatype, minLength of an rdfs:label (or similar) line."""
    line = f'rdfs:label "{label}" ;'
    return [
        Case(shape, "minCount", f"{what} has no rdfs:label", [drop(block, line)]),
        Case(shape, "maxCount", f"{what} has two rdfs:label values",
             [E(block, line, f'rdfs:label "{label}" , "{label} (2)" ;')]),
        Case(shape, "datatype", f"{what}'s rdfs:label has a language tag (rdf:langString, not xsd:string)",
             [E(block, line, f'rdfs:label "{label}"@en ;')]),
        Case(shape, "minLength", f"{what}'s rdfs:label is the empty string",
             [E(block, line, 'rdfs:label "" ;')]),
    ]


def _content_cases(shape: str, block: str, content: str, what: str, last: bool) -> list[Case]:
    """minCount, maxCount, datatype, minLength of crm:P190_has_symbolic_content."""
    end = "." if last else ";"
    line = f'crm:P190_has_symbolic_content "{content}" {end}'
    removal = (E(block, f' ;\n    {line}', " .") if last else drop(block, line))
    return [
        Case(shape, "minCount", f"{what} has no crm:P190_has_symbolic_content", [removal]),
        Case(shape, "maxCount", f"{what} has two crm:P190_has_symbolic_content values",
             [E(block, line, f'crm:P190_has_symbolic_content "{content}" , "{content} (2)" {end}')]),
        Case(shape, "datatype", f"{what}'s crm:P190_has_symbolic_content has a language tag",
             [E(block, line, f'crm:P190_has_symbolic_content "{content}"@en {end}')]),
        Case(shape, "minLength", f"{what}'s crm:P190_has_symbolic_content is the empty string",
             [E(block, line, f'crm:P190_has_symbolic_content "" {end}')]),
    ]


CABLE_TITLE_TEXT = "Cable, Stalin [Kuznetsov] to Mao Zedong [via Terebin]"

CASES: list[Case] = [
    # --- documents.ttl: DocumentShape -------------------------------------------------
    Case("DocumentTitle", "minCount", "the cable has no crm:P102_has_title",
         [drop(CABLE, "crm:P102_has_title <document/110296/title> ;")]),
    Case("DocumentTitle", "maxCount", "the cable has two titles (its own and the memorandum's)",
         [E(CABLE, "crm:P102_has_title <document/110296/title> ;",
            "crm:P102_has_title <document/110296/title> , <document/110003/title> ;")]),
    Case("DocumentTitle", "class", "the cable's crm:P102_has_title points at its record-id node (a crm:E42_Identifier)",
         [E(CABLE, "crm:P102_has_title <document/110296/title> ;", "crm:P102_has_title <document/110296/record-id> ;")],
         crm=True),
    *_label_cases("DocumentLabel", CABLE, CABLE_TITLE_TEXT, "the cable"),
    Case("DocumentDcTitle", "minCount", "the cable has no dcterms:title",
         [drop(CABLE, f'dcterms:title "{CABLE_TITLE_TEXT}" ;')]),
    Case("DocumentDcTitle", "maxCount", "the cable has two dcterms:title values",
         [E(CABLE, f'dcterms:title "{CABLE_TITLE_TEXT}" ;', f'dcterms:title "{CABLE_TITLE_TEXT}" , "Cable" ;')]),
    Case("DocumentDcTitle", "datatype", "the cable's dcterms:title has a language tag",
         [E(CABLE, f'dcterms:title "{CABLE_TITLE_TEXT}" ;', f'dcterms:title "{CABLE_TITLE_TEXT}"@en ;')]),
    Case("DocumentDcTitle", "minLength", "the cable's dcterms:title is the empty string",
         [E(CABLE, f'dcterms:title "{CABLE_TITLE_TEXT}" ;', 'dcterms:title "" ;')]),
    Case("DocumentType", "maxCount", "the cable has two document types",
         [E(CABLE, "crm:P2_has_type <type/cable> ;", "crm:P2_has_type <type/cable> , <type/memorandum-of-conversation> ;")]),
    Case("DocumentType", "class", "the cable's type type/telegram is not in the type scheme (no such skos:Concept)",
         [E(CABLE, "crm:P2_has_type <type/cable> ;", "crm:P2_has_type <type/telegram> ;")], crm=True),
    Case("DocumentCreation", "minCount", "the cable has no crm:P94i_was_created_by",
         [drop(CABLE, "crm:P94i_was_created_by <document/110296/creation> ;")]),
    Case("DocumentCreation", "maxCount", "the cable has two creations (its own and the memorandum's)",
         [E(CABLE, "crm:P94i_was_created_by <document/110296/creation> ;",
            "crm:P94i_was_created_by <document/110296/creation> , <document/110003/creation> ;")]),
    Case("DocumentCreation", "class",
         "the cable's creation is typed crm:E83_Type_Creation (a subclass) instead of crm:E65_Creation",
         [E(CABLE_CREATION, "<document/110296/creation> a crm:E65_Creation ;",
            "<document/110296/creation> a crm:E83_Type_Creation ;")]),
    Case("DocumentSourceRecord", "minCount", "the cable has no cw:sourceRecord",
         [drop(CABLE, 'cw:sourceRecord "source/records/records.jsonl#L4" ;')],
         no_source="the break is the missing source record itself"),
    Case("SourceRecordValue", "datatype", "the cable's cw:sourceRecord is typed xsd:anyURI instead of a plain string",
         [E(CABLE, 'cw:sourceRecord "source/records/records.jsonl#L4" ;',
            'cw:sourceRecord "source/records/records.jsonl#L4"^^xsd:anyURI ;')]),
    Case("SourceRecordValue", "pattern", "the cable's cw:sourceRecord has no line number",
         [E(CABLE, 'cw:sourceRecord "source/records/records.jsonl#L4" ;', 'cw:sourceRecord "source/records/records.jsonl" ;')]),
    Case("DocumentCollection", "minCount", "the cable has no dcterms:isPartOf",
         [drop(CABLE, "dcterms:isPartOf <collection/sino-soviet-alliance> ;")]),
    Case("DocumentCollection", "maxCount", "the cable is dcterms:isPartOf two collections",
         [E(CABLE, "dcterms:isPartOf <collection/sino-soviet-alliance> ;",
            "dcterms:isPartOf <collection/sino-soviet-alliance> , <collection/korean-war> ;")]),
    Case("DocumentCollection", "nodeKind", "the cable's dcterms:isPartOf is the string \"sino-soviet-alliance\"",
         [E(CABLE, "dcterms:isPartOf <collection/sino-soviet-alliance> ;", 'dcterms:isPartOf "sino-soviet-alliance" ;')]),
    Case("DocumentPage", "nodeKind", "the cable's foaf:page is a string, not an IRI",
         [E(CABLE, "foaf:page <https://digitalarchive.wilsoncenter.org/document/110296> ;",
            'foaf:page "https://digitalarchive.wilsoncenter.org/document/110296" ;')]),
    Case("DocumentRecordId", "maxCount", "the cable has two cw:recordId values",
         [E(CABLE, 'cw:recordId "110296" ;', 'cw:recordId "110296" , "110297" ;')]),
    Case("DocumentRecordId", "datatype", "the cable's cw:recordId is typed xsd:integer",
         [E(CABLE, 'cw:recordId "110296" ;', 'cw:recordId "110296"^^xsd:integer ;')]),
    Case("DocumentRecordId", "pattern", "the cable's cw:recordId is not digits only (\"WCDA-110296\")",
         [E(CABLE, 'cw:recordId "110296" ;', 'cw:recordId "WCDA-110296" ;')]),
    Case("DocumentIdentifier", "maxCount", "the cable is identified by two identifiers (its own and the memorandum's)",
         [E(CABLE, "crm:P1_is_identified_by <document/110296/record-id> ;",
            "crm:P1_is_identified_by <document/110296/record-id> , <document/110003/record-id> ;")]),
    Case("DocumentIdentifier", "class", "the cable's crm:P1_is_identified_by points at its title node (a crm:E35_Title)",
         [E(CABLE, "crm:P1_is_identified_by <document/110296/record-id> ;",
            "crm:P1_is_identified_by <document/110296/title> ;")]),
    Case("DocumentDocuments", "node", "the cable also crm:P70_documents its own creation (a crm:E65_Creation)",
         [E(CABLE, "crm:P70_documents <document/110296/communication> ;",
            "crm:P70_documents <document/110296/communication> , <document/110296/creation> ;")]),
    Case("DocumentRefersTo", "nodeKind", "the cable's crm:P67_refers_to has the string \"Stalin\" among its mentions",
         [E(CABLE, "crm:P67_refers_to <person/joseph-stalin> , <person/mao-zedong> , <name/kuznetsov> ;",
            'crm:P67_refers_to <person/joseph-stalin> , <person/mao-zedong> , <name/kuznetsov> , "Stalin" ;')],
         crm=True),
    Case("DocumentLanguage", "nodeKind", "the memorandum's crm:P72_has_language is the string \"ru\"",
         [E(MEMO, "crm:P72_has_language <language/ru> ;", 'crm:P72_has_language "ru" ;')], crm=True),
    Case("DocumentSummary", "maxCount", "the cable has two summaries (crm:P3_has_note)",
         [E(CABLE, 'crm:P3_has_note "Stalin, signing as Kuznetsov, answers Mao Zedong through Terebin." ;',
            'crm:P3_has_note "Stalin, signing as Kuznetsov, answers Mao Zedong through Terebin." , "Another summary." ;')]),
    Case("DocumentSummary", "datatype", "the cable's summary (crm:P3_has_note) has a language tag",
         [E(CABLE, 'crm:P3_has_note "Stalin, signing as Kuznetsov, answers Mao Zedong through Terebin." ;',
            'crm:P3_has_note "Stalin, signing as Kuznetsov, answers Mao Zedong through Terebin."@en ;')]),
    Case("DocumentClassification", "maxCount", "the cable has two classifications",
         [E(CABLE, 'cw:recordId "110296" ;', 'cw:recordId "110296" ;\n    cw:classification "Top Secret" , "Secret" ;')]),
    Case("DocumentClassification", "datatype", "the cable's classification has a language tag",
         [E(CABLE, 'cw:recordId "110296" ;', 'cw:recordId "110296" ;\n    cw:classification "Top Secret"@en ;')]),
    Case("DocumentClassification", "minLength", "the cable's classification is the empty string",
         [E(CABLE, 'cw:recordId "110296" ;', 'cw:recordId "110296" ;\n    cw:classification "" ;')]),
    Case("DocumentTelegramNumber", "datatype", "the cable's telegram number is typed xsd:integer",
         [E(CABLE, 'cw:recordId "110296" ;', 'cw:recordId "110296" ;\n    cw:telegramNumber "58986"^^xsd:integer ;')]),
    Case("DocumentTelegramNumber", "minLength", "the cable's telegram number is the empty string",
         [E(CABLE, 'cw:recordId "110296" ;', 'cw:recordId "110296" ;\n    cw:telegramNumber "" ;')]),
    Case("DocumentSender", "node", "the cable's cw:sender is the cover name name/kuznetsov, not the person",
         [E(CABLE, "cw:sender <person/joseph-stalin> ;", "cw:sender <name/kuznetsov> ;")]),
    Case("DocumentRecipient", "node", "the cable's cw:recipient is Mao Zedong's name node, not the person",
         [E(CABLE, "cw:recipient <person/mao-zedong> ;", "cw:recipient <person/mao-zedong/name> ;")]),
    Case("DocumentIntermediary", "node", "the cable's cw:intermediary is the cover name name/terebin, not the person",
         [E(CABLE, "cw:intermediary <person/andrei-yakovlevich-orlov> ;", "cw:intermediary <name/terebin> ;")]),
    Case("DocumentParticipant", "node", "one cw:participant of the memorandum is Zhou Enlai's name node, not the person",
         [E(MEMO, "cw:participant <person/anastas-mikoyan> , <person/zhou-enlai> ;",
            "cw:participant <person/anastas-mikoyan> , <person/zhou-enlai/name> ;")]),
    Case("DocumentAuthor", "node", "the notes' cw:author is Mikoyan's name node, not the person",
         [E(NOTES, "cw:author <person/anastas-mikoyan> ;", "cw:author <person/anastas-mikoyan/name> ;")]),
    Case("DocumentCreator", "node", "the cable's dcterms:creator is the cover name name/kuznetsov, not the person",
         [E(CABLE, "dcterms:creator <person/joseph-stalin> ;", "dcterms:creator <name/kuznetsov> ;")]),
    Case("DocumentSignedAs", "class", "the cable's cw:signedAs is the person Joseph Stalin, not the cover name",
         [E(CABLE, "cw:signedAs <name/kuznetsov> ;", "cw:signedAs <person/joseph-stalin> ;")]),
    Case("DocumentAbout", "or", "the memorandum's cw:about is the person Anastas Mikoyan, not an event",
         [E(MEMO, "cw:about <event/mikoyan-mission-1949> ;", "cw:about <person/anastas-mikoyan> ;")]),
    Case("DocumentDateBegin", "maxCount", "the cable has two cw:dateBegin values",
         [E(CABLE, 'cw:dateBegin "1947-12-16T00:00:00"^^xsd:dateTime ;',
            'cw:dateBegin "1947-12-16T00:00:00"^^xsd:dateTime , "1947-12-16T12:00:00"^^xsd:dateTime ;')]),
    Case("DocumentDateBegin", "datatype", "the cable's cw:dateBegin is an xsd:date, not an xsd:dateTime",
         [E(CABLE, 'cw:dateBegin "1947-12-16T00:00:00"^^xsd:dateTime ;', 'cw:dateBegin "1947-12-16"^^xsd:date ;')]),
    Case("DocumentDateBegin", "lessThanOrEquals", "the cable's cw:dateBegin is the day after its cw:dateEnd",
         [E(CABLE, 'cw:dateBegin "1947-12-16T00:00:00"^^xsd:dateTime ;',
            'cw:dateBegin "1947-12-17T00:00:00"^^xsd:dateTime ;')]),
    Case("DocumentDateEnd", "maxCount", "the cable has two cw:dateEnd values",
         [E(CABLE, 'cw:dateEnd "1947-12-16T23:59:59"^^xsd:dateTime ;',
            'cw:dateEnd "1947-12-16T23:59:59"^^xsd:dateTime , "1947-12-17T23:59:59"^^xsd:dateTime ;')]),
    Case("DocumentDateEnd", "datatype",
         "the cable's cw:dateEnd is an xsd:dateTimeStamp (with a time zone), not an xsd:dateTime",
         [E(CABLE, 'cw:dateEnd "1947-12-16T23:59:59"^^xsd:dateTime ;',
            'cw:dateEnd "1947-12-16T23:59:59Z"^^xsd:dateTimeStamp ;')]),
    Case("DocumentEdtf", "maxCount", "the cable has two cw:edtf values",
         [E(CABLE, 'cw:edtf "1947-12-16" .', 'cw:edtf "1947-12-16" , "1947-12" .')]),
    Case("DocumentEdtf", "datatype", "the cable's cw:edtf is typed xsd:date instead of a plain string",
         [E(CABLE, 'cw:edtf "1947-12-16" .', 'cw:edtf "1947-12-16"^^xsd:date .')]),
    Case("DocumentEdtf", "minLength", "the cable's cw:edtf is the empty string",
         [E(CABLE, 'cw:edtf "1947-12-16" .', 'cw:edtf "" .')]),
    Case("DocumentDcDate", "maxCount", "the cable has two dcterms:date values",
         [E(CABLE, 'dcterms:date "1947-12-16" ;', 'dcterms:date "1947-12-16" , "1947-12" ;')]),
    Case("DocumentDcDate", "datatype", "the cable's dcterms:date is typed xsd:date instead of a plain EDTF string",
         [E(CABLE, 'dcterms:date "1947-12-16" ;', 'dcterms:date "1947-12-16"^^xsd:date ;')]),
    # --- documents.ttl: titles and identifiers ------------------------------------------
    *_content_cases("TitleContent", CABLE_TITLE, CABLE_TITLE_TEXT, "the cable's title node", last=True),
    Case("IdentifierContent", "minCount", "the cable's record-id node has no crm:P190_has_symbolic_content",
         [drop(CABLE_ID, 'crm:P190_has_symbolic_content "110296" ;')]),
    Case("IdentifierContent", "maxCount", "the cable's record-id node has two crm:P190_has_symbolic_content values",
         [E(CABLE_ID, 'crm:P190_has_symbolic_content "110296" ;', 'crm:P190_has_symbolic_content "110296" , "110297" ;')]),
    Case("IdentifierContent", "datatype", "the cable's record-id symbolic content is typed xsd:integer",
         [E(CABLE_ID, 'crm:P190_has_symbolic_content "110296" ;',
            'crm:P190_has_symbolic_content "110296"^^xsd:integer ;')]),
    Case("IdentifierContent", "minLength", "the cable's record-id symbolic content is the empty string",
         [E(CABLE_ID, 'crm:P190_has_symbolic_content "110296" ;', 'crm:P190_has_symbolic_content "" ;')]),
    Case("IdentifierType", "maxCount", "the cable's record-id node has two types",
         [E(CABLE_ID, "crm:P2_has_type <type/wcda-record-id> .", "crm:P2_has_type <type/wcda-record-id> , <type/cable> .")]),
    Case("IdentifierType", "class", "the cable's record-id type type/record-id is not in the type scheme",
         [E(CABLE_ID, "crm:P2_has_type <type/wcda-record-id> .", "crm:P2_has_type <type/record-id> .")], crm=True),
    # --- activities.ttl: creation ----------------------------------------------------------
    Case("CreationTimeSpan", "maxCount", "the cable's creation has two time-spans",
         [E(CABLE_CREATION, "crm:P4_has_time-span <document/110296/creation/time> .",
            "crm:P4_has_time-span <document/110296/creation/time> , <document/110296/communication/time> .")]),
    Case("CreationTimeSpan", "class", "the cable's creation points at a time-span node that is not in the graph",
         [E(CABLE_CREATION, "crm:P4_has_time-span <document/110296/creation/time> .",
            "crm:P4_has_time-span <document/110296/creation/date> .")], crm=True),
    Case("CreationActor", "node", "the notes' creation is carried out by Mikoyan's name node, not the person",
         [E(NOTES_CREATION, "crm:P14_carried_out_by <person/anastas-mikoyan> ;",
            "crm:P14_carried_out_by <person/anastas-mikoyan/name> ;")], crm=True),
    # --- activities.ttl: every activity ---------------------------------------------------
    Case("ActivityTimeSpan", "maxCount", "the communication has two time-spans",
         [E(COMM, "crm:P4_has_time-span <document/110296/communication/time> ;",
            "crm:P4_has_time-span <document/110296/communication/time> , <document/110296/creation/time> ;")]),
    Case("ActivityTimeSpan", "class", "the communication points at a time-span node that is not in the graph",
         [E(COMM, "crm:P4_has_time-span <document/110296/communication/time> ;",
            "crm:P4_has_time-span <document/110296/communication/date> ;")], crm=True),
    Case("ActivityType", "class", "the mission's type type/event/mission is not in the type scheme",
         [E(MISSION, "crm:P2_has_type <type/mission> ;", "crm:P2_has_type <type/event/mission> ;")], crm=True),
    Case("ActivityActor", "node", "the mission is carried out by Mikoyan's name node, not the person",
         [E(MISSION, "crm:P14_carried_out_by <person/anastas-mikoyan> ;",
            "crm:P14_carried_out_by <person/anastas-mikoyan/name> ;")], crm=True),
    Case("ActivityParticipant", "node", "the mission has the place China as a crm:P11_had_participant",
         [E(MISSION, "crm:P14_carried_out_by <person/anastas-mikoyan> ;",
            "crm:P14_carried_out_by <person/anastas-mikoyan> ;\n    crm:P11_had_participant <place/china> ;")],
         crm=True),
    Case("ActivityPlace", "class", "the conversation took place at place/xibaipo, which is not in the graph",
         [E(CONVERSATION, "crm:P2_has_type <type/conversation> ;",
            "crm:P2_has_type <type/conversation> ;\n    crm:P7_took_place_at <place/xibaipo> ;")], crm=True),
    Case("ActivityParts", "node",
         "the mission consists of the memorandum's creation (a crm:E65_Creation) instead of its conversation",
         [E(MISSION, "crm:P9_consists_of <document/110003/conversation> ;",
            "crm:P9_consists_of <document/110003/creation> ;")]),
    Case("ActivityPurpose", "node", "the mission's crm:P20_had_specific_purpose is the treaty text, not an event",
         [E(MISSION, "crm:P9_consists_of <document/110003/conversation> ;",
            "crm:P9_consists_of <document/110003/conversation> ;\n"
            "    crm:P20_had_specific_purpose <event/sino-soviet-treaty-1950> ;")], crm=True),
    # --- activities.ttl: communications ------------------------------------------------------
    Case("CommunicationPartShape", "or",
         "the receipt part has no actor (its crm:P14_carried_out_by and its role node are gone)",
         [E(RECEIPT, "crm:P2_has_type <type/receipt> ;\n    crm:P14_carried_out_by <person/mao-zedong> .",
            "crm:P2_has_type <type/receipt> ."),
          E(RECIPIENT_ROLE,
            RECIPIENT_ROLE + "crm:PC14_carried_out_by ;\n"
            "    crm:P01_has_domain <document/110296/communication/receipt> ;\n"
            "    crm:P02_has_range <person/mao-zedong> ;\n"
            "    crm:P14.1_in_the_role_of <type/role/recipient> ;\n"
            '    cw:nameAsWritten "Mao Zedong" .\n\n', "")]),
    Case("CommunicationShape", "or", "the communication has no crm:P9_consists_of",
         [E(COMM, "crm:P4_has_time-span <document/110296/communication/time> ;\n"
            "    crm:P9_consists_of <document/110296/communication/sending> ,\n"
            "        <document/110296/communication/transmission> ,\n"
            "        <document/110296/communication/receipt> .",
            "crm:P4_has_time-span <document/110296/communication/time> .")]),
    Case("ConveyedMessageShape", "or",
         "the communication, retyped as a conveyed message, keeps only its transmission part",
         [E(COMM, "crm:P2_has_type <type/communication> ;", "crm:P2_has_type <type/conveyed-message> ;"),
          E(COMM, "crm:P9_consists_of <document/110296/communication/sending> ,\n"
            "        <document/110296/communication/transmission> ,\n"
            "        <document/110296/communication/receipt> .",
            "crm:P9_consists_of <document/110296/communication/transmission> ."),
          E(CABLE_TYPE, '<type/communication> a skos:Concept , crm:E55_Type ; skos:prefLabel "communication"@en ; '
            "skos:inScheme <type/scheme> .",
            '<type/communication> a skos:Concept , crm:E55_Type ; skos:prefLabel "communication"@en ; '
            "skos:inScheme <type/scheme> .\n"
            '<type/conveyed-message> a skos:Concept , crm:E55_Type ; skos:prefLabel "conveyed message"@en ; '
            "skos:inScheme <type/scheme> .")]),
    # --- activities.ttl: role nodes ------------------------------------------------------------
    Case("RoleActivity", "minCount", "the sender's role node has no crm:P01_has_domain",
         [drop(SENDER_ROLE, "crm:P01_has_domain <document/110296/communication/sending> ;")]),
    Case("RoleActivity", "maxCount", "the author's role node has two activities (its creation and the memorandum's)",
         [E(AUTHOR_ROLE, "crm:P01_has_domain <document/116506/creation> ;",
            "crm:P01_has_domain <document/116506/creation> , <document/110003/creation> ;")]),
    Case("RoleActivity", "or", "the author's role node has the document itself as crm:P01_has_domain, not its creation",
         [E(AUTHOR_ROLE, "crm:P01_has_domain <document/116506/creation> ;", "crm:P01_has_domain <document/116506> ;")]),
    Case("RoleActor", "minCount", "the author's role node has no crm:P02_has_range",
         [drop(AUTHOR_ROLE, "crm:P02_has_range <person/anastas-mikoyan> ;")]),
    Case("RoleActor", "maxCount", "the author's role node has two actors",
         [E(AUTHOR_ROLE, "crm:P02_has_range <person/anastas-mikoyan> ;",
            "crm:P02_has_range <person/anastas-mikoyan> , <person/zhou-enlai> ;")]),
    Case("RoleActor", "node", "the author's role node points at Mikoyan's name node, not the person",
         [E(AUTHOR_ROLE, "crm:P02_has_range <person/anastas-mikoyan> ;",
            "crm:P02_has_range <person/anastas-mikoyan/name> ;")]),
    Case("RoleType", "minCount", "the sender's role node has no crm:P14.1_in_the_role_of",
         [drop(SENDER_ROLE, "crm:P14.1_in_the_role_of <type/role/sender> ;")]),
    Case("RoleType", "maxCount", "the sender's role node has two roles",
         [E(SENDER_ROLE, "crm:P14.1_in_the_role_of <type/role/sender> ;",
            "crm:P14.1_in_the_role_of <type/role/sender> , <type/role/recipient> ;")]),
    Case("RoleType", "class", "the sender's role type/role/signatory is not in the type scheme",
         [E(SENDER_ROLE, "crm:P14.1_in_the_role_of <type/role/sender> ;",
            "crm:P14.1_in_the_role_of <type/role/signatory> ;")], crm=True),
    Case("RoleNameAsWritten", "minCount", "the recipient's role node has no cw:nameAsWritten",
         [E(RECIPIENT_ROLE, ' ;\n    cw:nameAsWritten "Mao Zedong" .', " .")]),
    Case("RoleNameAsWritten", "datatype", "the recipient's cw:nameAsWritten has a language tag",
         [E(RECIPIENT_ROLE, 'cw:nameAsWritten "Mao Zedong" .', 'cw:nameAsWritten "Mao Zedong"@en .')]),
    Case("RoleNameAsWritten", "minLength", "the recipient's cw:nameAsWritten is the empty string",
         [E(RECIPIENT_ROLE, 'cw:nameAsWritten "Mao Zedong" .', 'cw:nameAsWritten "" .')]),
    Case("RoleUsedAppellation", "class", "the sender's cw:usedAppellation is the person Joseph Stalin, not the cover name",
         [E(SENDER_ROLE, "cw:usedAppellation <name/kuznetsov> .", "cw:usedAppellation <person/joseph-stalin> .")]),
    Case("ActivityRolesShape", "or",
         "the conversation lost Mikoyan from crm:P14_carried_out_by, but his role node remains",
         [E(CONVERSATION, "crm:P14_carried_out_by <person/anastas-mikoyan> , <person/zhou-enlai> ;",
            "crm:P14_carried_out_by <person/zhou-enlai> ;")]),
    # --- actors.ttl --------------------------------------------------------------------------------
    *_label_cases("PersonLabel", MAO, "Mao Zedong", "Mao Zedong"),
    *_label_cases("GroupLabel", CCP, "Chinese Communist Party", "the Chinese Communist Party"),
    *_label_cases("ActorLabel", MELNIKOV_BEARER, "Melnikov (bearer unknown)", "the unknown bearer of Melnikov"),
    Case("WikidataMatchForm", "nodeKind", "Stalin's skos:exactMatch is a string, not an IRI",
         [E(STALIN, "skos:exactMatch <http://www.wikidata.org/entity/Q855> ;",
            'skos:exactMatch "http://www.wikidata.org/entity/Q855" ;')]),
    Case("WikidataMatchForm", "pattern", "Stalin's skos:exactMatch is the wiki page URL, not the entity IRI",
         [E(STALIN, "skos:exactMatch <http://www.wikidata.org/entity/Q855> ;",
            "skos:exactMatch <https://www.wikidata.org/wiki/Q855> ;")]),
    Case("WikidataMatchSingle", "maxCount", "Stalin has two Wikidata QIDs",
         [E(STALIN, "skos:exactMatch <http://www.wikidata.org/entity/Q855> ;",
            "skos:exactMatch <http://www.wikidata.org/entity/Q855> , <http://www.wikidata.org/entity/Q4294598> ;")]),
    Case("QidEvidenceValue", "nodeKind", "Stalin's cw:qidEvidence is a string, not an IRI",
         [E(STALIN, "cw:qidEvidence <https://github.com/SpocWiki/",
            'cw:qidEvidence "https://github.com/SpocWiki/'),
          E(STALIN, "Stalin,Joseph.md> ;", 'Stalin,Joseph.md" ;')]),
    Case("AppellationValue", "class",
         "Mao Zedong's name node is typed crm:E41_Appellation instead of crm:E33_E41_Linguistic_Appellation",
         [E(MAO_NAME, "<person/mao-zedong/name> a crm:E33_E41_Linguistic_Appellation ;",
            "<person/mao-zedong/name> a crm:E41_Appellation ;")]),
    Case("PrefLabelSingle", "maxCount", "Mao Zedong has two skos:prefLabel values",
         [E(MAO, 'skos:prefLabel "Mao Zedong" ;', 'skos:prefLabel "Mao Zedong" , "Mao Tse-tung" ;')]),
    Case("PrefLabelSingle", "minLength", "Mao Zedong's skos:prefLabel is the empty string",
         [E(MAO, 'skos:prefLabel "Mao Zedong" ;', 'skos:prefLabel "" ;')]),
    Case("ReconciliationFlag", "in", "the unknown bearer of Melnikov has cw:awaitingReconciliation false",
         [E(MELNIKOV_BEARER, "cw:awaitingReconciliation true ;", "cw:awaitingReconciliation false ;")]),
    Case("WikidataEvidenceShape", "or", "Stalin has a QID but no cw:qidEvidence",
         [E(STALIN, "    cw:qidEvidence <https://github.com/SpocWiki/_Standards/blob/46ead8504fcb25ff2da17c5bbe12683082438e43"
            "/bio/People/Leaders/Modern_Leaders/Stalin,Joseph.md> ;\n", "")]),
    # --- links.ttl ---------------------------------------------------------------------------------
    Case("LinkEvidenceSubject", "minCount", "the evidence of Stalin's Wikidata link has no rdf:subject",
         [drop(STALIN_EVIDENCE, "rdf:subject <person/joseph-stalin> ;")]),
    Case("LinkEvidenceSubject", "maxCount", "the evidence of Stalin's Wikidata link has two rdf:subject values",
         [E(STALIN_EVIDENCE, "rdf:subject <person/joseph-stalin> ;",
            "rdf:subject <person/joseph-stalin> , <person/mao-zedong> ;")]),
    Case("LinkEvidenceSubject", "nodeKind", "the rdf:subject of the evidence of Stalin's Wikidata link is a string",
         [E(STALIN_EVIDENCE, "rdf:subject <person/joseph-stalin> ;", 'rdf:subject "person/joseph-stalin" ;')]),
    Case("LinkEvidencePredicate", "minCount", "the evidence of Stalin's Wikidata link has no rdf:predicate",
         [drop(STALIN_EVIDENCE, "rdf:predicate skos:exactMatch ;")]),
    Case("LinkEvidencePredicate", "maxCount", "the evidence of Stalin's Wikidata link has two rdf:predicate values",
         [E(STALIN_EVIDENCE, "rdf:predicate skos:exactMatch ;", "rdf:predicate skos:exactMatch , skos:closeMatch ;")]),
    Case("LinkEvidencePredicate", "in", "the evidence of Stalin's Wikidata link supports owl:sameAs, not a link we publish",
         [E(STALIN_EVIDENCE, "rdf:predicate skos:exactMatch ;",
            "rdf:predicate <http://www.w3.org/2002/07/owl#sameAs> ;")]),
    Case("LinkEvidenceObject", "minCount", "the evidence of Stalin's Wikidata link has no rdf:object",
         [drop(STALIN_EVIDENCE, "rdf:object <http://www.wikidata.org/entity/Q855> ;")]),
    Case("LinkEvidenceObject", "maxCount", "the evidence of Stalin's Wikidata link has two rdf:object values",
         [E(STALIN_EVIDENCE, "rdf:object <http://www.wikidata.org/entity/Q855> ;",
            "rdf:object <http://www.wikidata.org/entity/Q855> , <http://www.wikidata.org/entity/Q5816> ;")]),
    Case("LinkEvidenceSource", "minCount", "the evidence of Stalin's Wikidata link names no source",
         [drop(STALIN_EVIDENCE, "prov:wasDerivedFrom <https://github.com/SpocWiki/_Standards/blob/"
               "46ead8504fcb25ff2da17c5bbe12683082438e43/bio/People/Leaders/Modern_Leaders/Stalin,Joseph.md> ;")]),
    Case("LinkEvidenceSource", "nodeKind", "the source of the evidence of Stalin's Wikidata link is a string",
         [E(STALIN_EVIDENCE, "prov:wasDerivedFrom <https://github.com/SpocWiki/", 'prov:wasDerivedFrom "https://github.com/SpocWiki/'),
          E(STALIN_EVIDENCE, "Stalin,Joseph.md> ;", 'Stalin,Joseph.md" ;')]),
    Case("LinkEvidenceSource", "pattern", "the source of the evidence of Stalin's Wikidata link is a staging copy of the archive",
         [E(STALIN_EVIDENCE, "prov:wasDerivedFrom <https://github.com/SpocWiki/_Standards/blob/"
            "46ead8504fcb25ff2da17c5bbe12683082438e43/bio/People/Leaders/Modern_Leaders/Stalin,Joseph.md> ;",
            "prov:wasDerivedFrom <https://wilson-center-digital-archive.dvincitest.com/node/89884> ;")]),
    # --- places-events.ttl -------------------------------------------------------------------------
    *_label_cases("PlaceLabel", CHINA, "China", "the place China"),
    Case("EventTimeSpan", "maxCount", "the Chinese Civil War has two time-spans",
         [E(CIVIL_WAR, "crm:P4_has_time-span <event/chinese-civil-war/time> ;",
            "crm:P4_has_time-span <event/chinese-civil-war/time> , <event/mikoyan-mission-1949/time> ;")]),
    Case("EventTimeSpan", "class", "the Chinese Civil War points at a time-span node that is not in the graph",
         [E(CIVIL_WAR, "crm:P4_has_time-span <event/chinese-civil-war/time> ;",
            "crm:P4_has_time-span <event/chinese-civil-war/period> ;")], crm=True),
    Case("EventPlace", "class", "the Chinese Civil War took place at place/manchuria, which is not in the graph",
         [E(CIVIL_WAR, "crm:P7_took_place_at <place/china> ;", "crm:P7_took_place_at <place/manchuria> ;")], crm=True),
    Case("EventParticipant", "node", "the Chinese Civil War's participant is the CCP's name node, not the group",
         [E(CIVIL_WAR, "crm:P11_had_participant <group/chinese-communist-party> ;",
            "crm:P11_had_participant <group/chinese-communist-party/name> ;")], crm=True),
    Case("EventParts", "node", "the Chinese Civil War consists of the treaty text (a crm:E33_Linguistic_Object)",
         [E(CIVIL_WAR, "crm:P7_took_place_at <place/china> ;",
            "crm:P7_took_place_at <place/china> ;\n    crm:P9_consists_of <event/sino-soviet-treaty-1950> ;")],
         crm=True),
    Case("EventLabelShape", "or", "the mission (an activity under event/) has no rdfs:label",
         [drop(MISSION, "rdfs:label \"Anastas Mikoyan's mission to Mao Zedong\" ;")]),
    Case("LinguisticObjectShape", "or", "the treaty text has no rdfs:label",
         [drop(TREATY, 'rdfs:label "Sino-Soviet Treaty of Friendship, Alliance and Mutual Assistance" ;')]),
    # --- names.ttl -----------------------------------------------------------------------------------
    *_content_cases("AppellationContent", MAO_NAME, "Mao Zedong", "Mao Zedong's name node", last=False),
    Case("AppellationType", "maxCount", "the cover name Kuznetsov has two name types",
         [E(KUZNETSOV, "crm:P2_has_type <type/cover-name> ;", "crm:P2_has_type <type/cover-name> , <type/preferred-name> ;")]),
    Case("AppellationType", "class", "the cover name Kuznetsov's type type/pseudonym is not in the type scheme",
         [E(KUZNETSOV, "crm:P2_has_type <type/cover-name> ;", "crm:P2_has_type <type/pseudonym> ;")], crm=True),
    Case("AppellationLabel", "maxCount", "the cover name Kuznetsov has two rdfs:label values",
         [E(KUZNETSOV, 'rdfs:label "Kuznetsov" ;', 'rdfs:label "Kuznetsov" , "F. Kuznetsov" ;')]),
    Case("AppellationLabel", "datatype", "the cover name Kuznetsov's rdfs:label has a language tag",
         [E(KUZNETSOV, 'rdfs:label "Kuznetsov" ;', 'rdfs:label "Kuznetsov"@en ;')]),
    Case("AssignmentName", "minCount", "the attribution of Kuznetsov has no crm:P141_assigned",
         [drop(ASSIGNMENT, "crm:P141_assigned <name/kuznetsov> ;")]),
    Case("AssignmentName", "maxCount", "the attribution of Kuznetsov assigns two names",
         [E(ASSIGNMENT, "crm:P141_assigned <name/kuznetsov> ;", "crm:P141_assigned <name/kuznetsov> , <name/terebin> ;")]),
    Case("AssignmentName", "class", "the attribution of Kuznetsov assigns the person Joseph Stalin instead of the name",
         [E(ASSIGNMENT, "crm:P141_assigned <name/kuznetsov> ;", "crm:P141_assigned <person/joseph-stalin> ;")]),
    Case("AssignmentBearer", "minCount", "the attribution of Kuznetsov has no bearer (crm:P140_assigned_attribute_to)",
         [drop(ASSIGNMENT, "crm:P140_assigned_attribute_to <person/joseph-stalin> ;")]),
    Case("AssignmentBearer", "maxCount", "the attribution of Kuznetsov has two bearers",
         [E(ASSIGNMENT, "crm:P140_assigned_attribute_to <person/joseph-stalin> ;",
            "crm:P140_assigned_attribute_to <person/joseph-stalin> , <person/mao-zedong> ;")]),
    Case("AssignmentBearer", "node", "the attribution of Kuznetsov has the name itself as bearer, not an actor",
         [E(ASSIGNMENT, "crm:P140_assigned_attribute_to <person/joseph-stalin> ;",
            "crm:P140_assigned_attribute_to <name/kuznetsov> ;")]),
    Case("AssignmentEvidence", "minCount", "the attribution of Kuznetsov has no cw:evidence",
         [drop(ASSIGNMENT, "cw:evidence <https://digitalarchive.wilsoncenter.org/document/"
               "cable-stalin-kuznetsov-mao-zedong-terebin-1> ;")]),
    Case("AssignmentEvidence", "nodeKind", "the attribution of Kuznetsov's cw:evidence is a string, not an IRI",
         [E(ASSIGNMENT, "cw:evidence <https://digitalarchive.wilsoncenter.org/document/"
            "cable-stalin-kuznetsov-mao-zedong-terebin-1> ;",
            'cw:evidence "https://digitalarchive.wilsoncenter.org/document/cable-stalin-kuznetsov-mao-zedong-terebin-1" ;')]),
    Case("AssignmentDocument", "class",
         "the attribution of Kuznetsov is attested in the cable's title node instead of the cable",
         [E(ASSIGNMENT, "crm:P16_used_specific_object <document/110296> ;",
            "crm:P16_used_specific_object <document/110296/title> ;")]),
    Case("AssignmentTimeSpan", "maxCount", "the attribution of Kuznetsov has two periods of use",
         [E(ASSIGNMENT, "crm:P4_has_time-span <name/kuznetsov/assignment/time> ;",
            "crm:P4_has_time-span <name/kuznetsov/assignment/time> , <document/110296/creation/time> ;")]),
    Case("AssignmentTimeSpan", "class", "the attribution of Kuznetsov points at a time-span node that is not in the graph",
         [E(ASSIGNMENT, "crm:P4_has_time-span <name/kuznetsov/assignment/time> ;",
            "crm:P4_has_time-span <name/kuznetsov/assignment/period> ;")], crm=True),
    Case("AssignmentCertainty", "maxCount", "the attribution of Kuznetsov has two cw:certainty values",
         [E(ASSIGNMENT, 'cw:certainty "confirmed" ;', 'cw:certainty "confirmed" , "secondary" ;')]),
    Case("AssignmentCertainty", "datatype", "the attribution of Kuznetsov's cw:certainty has a language tag",
         [E(ASSIGNMENT, 'cw:certainty "confirmed" ;', 'cw:certainty "confirmed"@en ;')]),
    Case("AssignmentCertainty", "minLength", "the attribution of Kuznetsov's cw:certainty is the empty string",
         [E(ASSIGNMENT, 'cw:certainty "confirmed" ;', 'cw:certainty "" ;')]),
    Case("AssignmentType", "maxCount", "the attribution of Kuznetsov has two types",
         [E(ASSIGNMENT, "crm:P2_has_type <type/cover-name-attribution> ;",
            "crm:P2_has_type <type/cover-name-attribution> , <type/cover-name> ;")]),
    Case("AssignmentType", "class", "the attribution's type type/attribution is not in the type scheme",
         [E(ASSIGNMENT, "crm:P2_has_type <type/cover-name-attribution> ;", "crm:P2_has_type <type/attribution> ;")],
         crm=True),
    # --- time.ttl (the cable's creation time-span) -----------------------------------------------------
    Case("TimeSpanBegin", "minCount", "the cable's creation time-span has no crm:P82a_begin_of_the_begin",
         [drop(CABLE_TIME, 'crm:P82a_begin_of_the_begin "1947-12-16T00:00:00"^^xsd:dateTime ;')]),
    Case("TimeSpanBegin", "maxCount", "the cable's creation time-span has two crm:P82a_begin_of_the_begin values",
         [E(CABLE_TIME, 'crm:P82a_begin_of_the_begin "1947-12-16T00:00:00"^^xsd:dateTime ;',
            'crm:P82a_begin_of_the_begin "1947-12-16T00:00:00"^^xsd:dateTime , "1947-12-01T00:00:00"^^xsd:dateTime ;')]),
    Case("TimeSpanBegin", "datatype", "the cable's creation time-span begins with an xsd:date, not an xsd:dateTime",
         [E(CABLE_TIME, 'crm:P82a_begin_of_the_begin "1947-12-16T00:00:00"^^xsd:dateTime ;',
            'crm:P82a_begin_of_the_begin "1947-12-16"^^xsd:date ;')]),
    Case("TimeSpanOrder", "lessThanOrEquals",
         "the cable's creation time-span ends (1947-12-15) the day before it begins (1947-12-16)",
         [E(CABLE_TIME, 'crm:P82b_end_of_the_end "1947-12-16T23:59:59"^^xsd:dateTime .',
            'crm:P82b_end_of_the_end "1947-12-15T23:59:59"^^xsd:dateTime .')]),
    Case("TimeSpanEnd", "minCount", "the cable's creation time-span has no crm:P82b_end_of_the_end",
         [E(CABLE_TIME, ' ;\n    crm:P82b_end_of_the_end "1947-12-16T23:59:59"^^xsd:dateTime .', " .")]),
    Case("TimeSpanEnd", "maxCount", "the cable's creation time-span has two crm:P82b_end_of_the_end values",
         [E(CABLE_TIME, 'crm:P82b_end_of_the_end "1947-12-16T23:59:59"^^xsd:dateTime .',
            'crm:P82b_end_of_the_end "1947-12-16T23:59:59"^^xsd:dateTime , "1947-12-31T23:59:59"^^xsd:dateTime .')]),
    Case("TimeSpanEnd", "datatype",
         "the cable's creation time-span ends with an xsd:dateTimeStamp (with a time zone), not an xsd:dateTime",
         [E(CABLE_TIME, 'crm:P82b_end_of_the_end "1947-12-16T23:59:59"^^xsd:dateTime .',
            'crm:P82b_end_of_the_end "1947-12-16T23:59:59Z"^^xsd:dateTimeStamp .')]),
    Case("TimeSpanEdtf", "minCount", "the cable's creation time-span has no cw:edtf",
         [drop(CABLE_TIME, 'cw:edtf "1947-12-16" ;')]),
    Case("TimeSpanEdtf", "maxCount", "the cable's creation time-span has two cw:edtf values",
         [E(CABLE_TIME, 'cw:edtf "1947-12-16" ;', 'cw:edtf "1947-12-16" , "1947-12" ;')]),
    Case("TimeSpanEdtf", "datatype", "the cable's creation time-span cw:edtf is typed xsd:date instead of a plain string",
         [E(CABLE_TIME, 'cw:edtf "1947-12-16" ;', 'cw:edtf "1947-12-16"^^xsd:date ;')]),
    Case("TimeSpanEdtf", "minLength", "the cable's creation time-span cw:edtf is the empty string",
         [E(CABLE_TIME, 'cw:edtf "1947-12-16" ;', 'cw:edtf "" ;')]),
    Case("TimeSpanLabel", "maxCount", "the cable's creation time-span has two rdfs:label values",
         [E(CABLE_TIME, 'rdfs:label "December 16, 1947" ;', 'rdfs:label "December 16, 1947" , "16.12.1947" ;')]),
    Case("TimeSpanLabel", "datatype", "the cable's creation time-span rdfs:label has a language tag",
         [E(CABLE_TIME, 'rdfs:label "December 16, 1947" ;', 'rdfs:label "December 16, 1947"@en ;')]),
    # --- types.ttl ------------------------------------------------------------------------------------
    Case("ConceptPrefLabel", "minCount", "the type concept type/cable has no skos:prefLabel",
         [E(CABLE_TYPE, ' skos:prefLabel "Cable"@en ;', "")], no_source=TYPES_ARE_MAPPING),
    Case("ConceptPrefLabel", "maxCount", "the type concept type/cable has two skos:prefLabel values",
         [E(CABLE_TYPE, 'skos:prefLabel "Cable"@en ;', 'skos:prefLabel "Cable"@en , "Telegram"@en ;')],
         no_source=TYPES_ARE_MAPPING),
    Case("ConceptPrefLabel", "minLength", "the type concept type/cable's skos:prefLabel is the empty string",
         [E(CABLE_TYPE, 'skos:prefLabel "Cable"@en ;', 'skos:prefLabel ""@en ;')], no_source=TYPES_ARE_MAPPING),
    Case("ConceptScheme", "nodeKind", "the type concept type/cable's skos:inScheme is a string, not an IRI",
         [E(CABLE_TYPE, 'skos:prefLabel "Cable"@en ; skos:inScheme <type/scheme> .',
            'skos:prefLabel "Cable"@en ; skos:inScheme "type/scheme" .')],
         no_source=TYPES_ARE_MAPPING),
    Case("TypeIsConceptShape", "class", "the type concept type/war is typed crm:E55_Type only, not skos:Concept",
         [E(WAR_TYPE, "<type/war> a skos:Concept , crm:E55_Type ;", "<type/war> a crm:E55_Type ;")],
         crm=True, no_source=TYPES_ARE_MAPPING),
    Case("ConceptSchemeLabel", "minCount", "the type scheme has no skos:prefLabel",
         [E(SCHEME, '<type/scheme> a skos:ConceptScheme ;\n    skos:prefLabel "cwgraph types"@en .',
            "<type/scheme> a skos:ConceptScheme .")], no_source=TYPES_ARE_MAPPING),
    Case("ConceptSchemeLabel", "minLength", "the type scheme's skos:prefLabel is the empty string",
         [E(SCHEME, 'skos:prefLabel "cwgraph types"@en .', 'skos:prefLabel ""@en .')], no_source=TYPES_ARE_MAPPING),
    # --- dataset.ttl -----------------------------------------------------------------------------------
    Case("DatasetTitle", "minCount", "the dataset has no dcterms:title",
         [drop(DATASET, 'dcterms:title "Making of the Sino-Soviet Alliance, 1945-1950" ;')],
         no_source=DATASET_IS_CONFIG),
    Case("DatasetTitle", "minLength", "the dataset's dcterms:title is the empty string",
         [E(DATASET, 'dcterms:title "Making of the Sino-Soviet Alliance, 1945-1950" ;', 'dcterms:title "" ;')],
         no_source=DATASET_IS_CONFIG),
    Case("DatasetLicense", "minCount", "the dataset has no dcterms:license",
         [E(DATASET, ' ;\n    dcterms:license <https://creativecommons.org/licenses/by/4.0/> .', " .")],
         no_source=DATASET_IS_CONFIG),
    Case("DatasetLicense", "nodeKind", "the dataset's dcterms:license is a string, not an IRI",
         [E(DATASET, "dcterms:license <https://creativecommons.org/licenses/by/4.0/> .",
            'dcterms:license "CC BY 4.0" .')], no_source=DATASET_IS_CONFIG),
]


def apply(text: str, edit: Edit) -> str:
    """Apply one edit inside its block (from the block's subject line to the next blank line)."""
    assert text.count("\n" + edit.block) == 1, f"block {edit.block!r} not found exactly once"
    start = text.index("\n" + edit.block) + 1
    end = text.find("\n\n", start)
    end = len(text) if end < 0 else end + 2  # keep the blank line in the block (whole-block removal)
    block = text[start:end]
    assert block.count(edit.old) == 1, f"{edit.old!r} not found exactly once in block {edit.block!r}"
    return text[:start] + block.replace(edit.old, edit.new) + text[end:]


def message_start(shapes: rdflib.Graph, shape: str) -> str:
    """The part of the shape's sh:message before the first ': ' (what is wrong), at most ~100 characters."""
    message = str(shapes.value(rdflib.URIRef(CWSH + shape), SH.message))
    head = message.split(": ", 1)[0]
    if len(head) > 100:
        cut = head.rfind(" (", 0, 100)
        head = head[:cut] if cut >= 30 else head[:100].rsplit(" ", 1)[0]
    return head


def body_of_valid() -> str:
    """valid.ttl without its leading comment (the header of each case replaces it)."""
    text = VALID.read_text()
    return text[text.index("@base"):]


def mutate(case: Case) -> str:
    """``valid.ttl`` with the case's edits applied (Turtle text)."""
    text = body_of_valid()
    for edit in case.edits:
        text = apply(text, edit)
    return text


BY_NAME = {case.filename.removesuffix(".ttl"): case for case in CASES}
assert len(BY_NAME) == len(CASES), "two cases share a <Shape>--<parameter> name"
