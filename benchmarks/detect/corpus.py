"""The detection benchmark's corpus, written at run time by two independent fake-data
generators, Faker and Mimesis, in many locales.

Each (generator, locale) gives one table: a column per personal-data category the generator
can write in that locale, and look-alike columns that hold no personal data (product codes,
hashes, prices, shipping dates, URLs, file paths, job titles, cities, countries, slogans,
10-digit order numbers, SSN-shaped codes that fail validation, card-shaped vouchers that fail
Luhn, timestamps, UUIDs, licence plates). Every column holds ``VALUES`` values.

Column names come in two modes: ``neutral`` (``c00``, ``c01``, ... in a shuffled order) and
``local`` (what a team in that country would call the column, in its language: ``LOCAL``).
The local names were written for this benchmark from how such tables are named, before the
detectors' own name hints were extended, and the held-out locales' names were not looked
at while tuning (``HELD_OUT``).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

VALUES = 300

#: Faker locale -> (language of the column names, Mimesis locale or None)
LOCALES: dict[str, tuple[str, str | None]] = {
    "en_US": ("en", "en"),
    "en_GB": ("en", "en-gb"),
    "en_CA": ("en", "en-ca"),
    "en_IN": ("en", None),
    "de_DE": ("de", "de"),
    "fr_FR": ("fr", "fr"),
    "es_ES": ("es", "es"),
    "it_IT": ("it", "it"),
    "pt_BR": ("pt", "pt-br"),
    "nl_NL": ("nl", "nl"),
    "pl_PL": ("pl", "pl"),
    "sv_SE": ("sv", "sv"),
    "ru_RU": ("ru", "ru"),
    "tr_TR": ("tr", "tr"),
    "ja_JP": ("ja", "ja"),
    "zh_CN": ("zh", "zh"),
    "ko_KR": ("ko", "ko"),
}
#: Locales never looked at while the detectors were tuned: (generator, locale, language)
HELD_OUT: tuple[tuple[str, str, str], ...] = (
    ("faker", "cs_CZ", "cs"),
    ("faker", "da_DK", "da"),
    ("faker", "fi_FI", "fi"),
    ("faker", "uk_UA", "uk"),
    ("faker", "el_GR", "el"),
    ("faker", "hu_HU", "hu"),
    ("faker", "ro_RO", "ro"),
    ("faker", "de_AT", "de"),
    ("faker", "es_MX", "es"),
    ("mimesis", "uk", "uk"),
    ("mimesis", "cs", "cs"),
    ("mimesis", "fi", "fi"),
    ("mimesis", "da", "da"),
    ("mimesis", "el", "el"),
    ("mimesis", "hu", "hu"),
    ("mimesis", "no", "no"),
    ("mimesis", "de-at", "de"),
    ("mimesis", "es-mx", "es"),
)

POSITIVES = (
    "email",
    "phone",
    "person_name",
    "postal_address",
    "organisation",
    "ip_address",
    "user_agent",
    "government_id",
    "card_number",
    "card_security_code",
    "date_of_birth",
    "precise_location",
    "free_text",
)
LOOK_ALIKES = (
    "product_code",
    "hash",
    "price",
    "shipping_date",
    "url",
    "file_path",
    "job_title",
    "city",
    "country",
    "slogan",
    "order_number",
    "invalid_ssn",
    "voucher",
    "timestamp",
    "uuid",
    "licence_plate",
)
#: Categories no value can tell apart without the column's name (3-4 digit codes, company
#: names without a legal form): scored with local names only.
NEED_A_NAME = ("organisation", "card_security_code")

#: What a local team would call each column (a few spellings each; one is drawn per table).
LOCAL: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "email": ("email", "contact_email", "EmailAddress"),
        "phone": ("phone", "phone_number", "MobileNo"),
        "person_name": ("customer_name", "full_name", "Name"),
        "postal_address": ("address", "mailing_address", "BillingAddress"),
        "organisation": ("company", "employer", "CompanyName"),
        "ip_address": ("ip_address", "client_ip", "LastLoginIP"),
        "user_agent": ("user_agent", "browser", "UserAgent"),
        "government_id": ("ssn", "national_id", "TaxId"),
        "card_number": ("card_number", "cc_number", "CardNo"),
        "card_security_code": ("cvv", "security_code", "CVC"),
        "date_of_birth": ("date_of_birth", "dob", "BirthDate"),
        "precise_location": ("location", "gps", "LatLong"),
        "free_text": ("notes", "comment", "SupportMessage"),
        "product_code": ("sku", "product_code", "ItemCode"),
        "hash": ("checksum", "file_hash", "Digest"),
        "price": ("price", "amount", "UnitPrice"),
        "shipping_date": ("ship_date", "shipped_on", "DeliveryDate"),
        "url": ("website", "landing_page", "Url"),
        "file_path": ("file_path", "attachment", "Path"),
        "job_title": ("job_title", "position", "Occupation"),
        "city": ("city", "town", "City"),
        "country": ("country", "ship_country", "Country"),
        "slogan": ("tagline", "slogan", "Motto"),
        "order_number": ("order_no", "order_number", "OrderId"),
        "invalid_ssn": ("reference", "ref_code", "CaseRef"),
        "voucher": ("voucher_code", "gift_card", "PromoCode"),
        "timestamp": ("created_at", "updated_at", "Timestamp"),
        "uuid": ("uuid", "request_id", "Guid"),
        "licence_plate": ("licence_plate", "plate", "VehicleReg"),
    },
    "de": {
        "email": ("email", "e_mail_adresse", "EMail"),
        "phone": ("telefon", "telefonnummer", "Mobilnummer"),
        "person_name": ("kundenname", "vollstaendiger_name", "Name"),
        "postal_address": ("anschrift", "adresse", "Lieferadresse"),
        "organisation": ("firma", "arbeitgeber", "Unternehmen"),
        "ip_address": ("ip_adresse", "client_ip", "IP"),
        "user_agent": ("user_agent", "browser", "Browserkennung"),
        "government_id": ("steuer_id", "ausweisnummer", "Sozialversicherungsnummer"),
        "card_number": ("kartennummer", "kreditkarte", "Kartennr"),
        "card_security_code": ("pruefnummer", "cvc", "Kartenprüfnummer"),
        "date_of_birth": ("geburtsdatum", "geb_datum", "Geburtstag"),
        "precise_location": ("standort", "koordinaten", "GPS"),
        "free_text": ("bemerkung", "kommentar", "Nachricht"),
        "product_code": ("artikelnummer", "art_nr", "Produktcode"),
        "hash": ("pruefsumme", "hashwert", "Hash"),
        "price": ("preis", "betrag", "Einzelpreis"),
        "shipping_date": ("versanddatum", "lieferdatum", "Versand"),
        "url": ("webseite", "link", "URL"),
        "file_path": ("dateipfad", "anhang", "Pfad"),
        "job_title": ("beruf", "position", "Taetigkeit"),
        "city": ("stadt", "ort", "Wohnort"),
        "country": ("land", "lieferland", "Staat"),
        "slogan": ("slogan", "werbespruch", "Motto"),
        "order_number": ("bestellnummer", "auftragsnr", "Bestellung"),
        "invalid_ssn": ("referenz", "aktenzeichen", "Vorgang"),
        "voucher": ("gutscheincode", "gutschein", "Rabattcode"),
        "timestamp": ("erstellt_am", "zeitstempel", "Geaendert"),
        "uuid": ("uuid", "vorgangs_id", "Guid"),
        "licence_plate": ("kennzeichen", "kfz_kennzeichen", "Nummernschild"),
    },
    "fr": {
        "email": ("courriel", "adresse_email", "Mail"),
        "phone": ("telephone", "tel_portable", "NumeroTel"),
        "person_name": ("nom_complet", "nom_client", "NomPrenom"),
        "postal_address": ("adresse", "adresse_postale", "AdresseLivraison"),
        "organisation": ("societe", "entreprise", "RaisonSociale"),
        "ip_address": ("adresse_ip", "ip_client", "IP"),
        "user_agent": ("navigateur", "user_agent", "AgentUtilisateur"),
        "government_id": ("numero_secu", "nir", "NumeroSecuriteSociale"),
        "card_number": ("numero_carte", "carte_bancaire", "NumCB"),
        "card_security_code": ("cryptogramme", "code_securite", "CVV"),
        "date_of_birth": ("date_naissance", "naissance", "DateDeNaissance"),
        "precise_location": ("localisation", "coordonnees_gps", "Position"),
        "free_text": ("commentaire", "remarques", "Message"),
        "product_code": ("reference_produit", "code_article", "RefProduit"),
        "hash": ("empreinte", "somme_controle", "Hash"),
        "price": ("prix", "montant", "PrixUnitaire"),
        "shipping_date": ("date_expedition", "date_livraison", "Expedie"),
        "url": ("site_web", "lien", "URL"),
        "file_path": ("chemin_fichier", "piece_jointe", "Chemin"),
        "job_title": ("profession", "metier", "Poste"),
        "city": ("ville", "commune", "Ville"),
        "country": ("pays", "pays_livraison", "Pays"),
        "slogan": ("slogan", "devise", "Accroche"),
        "order_number": ("numero_commande", "no_commande", "Commande"),
        "invalid_ssn": ("reference", "num_dossier", "Dossier"),
        "voucher": ("code_promo", "bon_achat", "CarteCadeau"),
        "timestamp": ("cree_le", "horodatage", "DateMaj"),
        "uuid": ("uuid", "identifiant_requete", "Guid"),
        "licence_plate": ("immatriculation", "plaque", "Immat"),
    },
    "es": {
        "email": ("correo", "correo_electronico", "Email"),
        "phone": ("telefono", "movil", "NumTelefono"),
        "person_name": ("nombre_completo", "nombre_cliente", "Nombre"),
        "postal_address": ("direccion", "domicilio", "DireccionEnvio"),
        "organisation": ("empresa", "razon_social", "Compania"),
        "ip_address": ("direccion_ip", "ip_cliente", "IP"),
        "user_agent": ("navegador", "user_agent", "AgenteUsuario"),
        "government_id": ("dni", "nif", "DocumentoIdentidad"),
        "card_number": ("numero_tarjeta", "tarjeta", "NumTarjeta"),
        "card_security_code": ("cvv", "codigo_seguridad", "CVC"),
        "date_of_birth": ("fecha_nacimiento", "nacimiento", "FechaNac"),
        "precise_location": ("ubicacion", "coordenadas", "Geo"),
        "free_text": ("comentario", "observaciones", "Mensaje"),
        "product_code": ("codigo_producto", "referencia", "SKU"),
        "hash": ("suma_control", "hash", "Huella"),
        "price": ("precio", "importe", "PrecioUnitario"),
        "shipping_date": ("fecha_envio", "fecha_entrega", "Enviado"),
        "url": ("sitio_web", "enlace", "URL"),
        "file_path": ("ruta_archivo", "adjunto", "Ruta"),
        "job_title": ("profesion", "puesto", "Cargo"),
        "city": ("ciudad", "localidad", "Municipio"),
        "country": ("pais", "pais_envio", "Pais"),
        "slogan": ("eslogan", "lema", "Frase"),
        "order_number": ("numero_pedido", "pedido", "NumPedido"),
        "invalid_ssn": ("expediente", "referencia_caso", "Caso"),
        "voucher": ("cupon", "codigo_descuento", "TarjetaRegalo"),
        "timestamp": ("creado_en", "fecha_hora", "Actualizado"),
        "uuid": ("uuid", "id_solicitud", "Guid"),
        "licence_plate": ("matricula", "placa", "Matricula"),
    },
    "it": {
        "email": ("email", "indirizzo_email", "PostaElettronica"),
        "phone": ("telefono", "cellulare", "NumTelefono"),
        "person_name": ("nome_completo", "nominativo", "NomeCognome"),
        "postal_address": ("indirizzo", "recapito", "IndirizzoSpedizione"),
        "organisation": ("azienda", "ragione_sociale", "Societa"),
        "ip_address": ("indirizzo_ip", "ip_client", "IP"),
        "user_agent": ("browser", "user_agent", "AgenteUtente"),
        "government_id": ("codice_fiscale", "cf", "CodFiscale"),
        "card_number": ("numero_carta", "carta_credito", "NumCarta"),
        "card_security_code": ("cvv", "codice_sicurezza", "CVC"),
        "date_of_birth": ("data_nascita", "nascita", "DataDiNascita"),
        "precise_location": ("posizione", "coordinate", "Geo"),
        "free_text": ("note", "commento", "Messaggio"),
        "product_code": ("codice_articolo", "codice_prodotto", "SKU"),
        "hash": ("impronta", "checksum", "Hash"),
        "price": ("prezzo", "importo", "PrezzoUnitario"),
        "shipping_date": ("data_spedizione", "data_consegna", "Spedito"),
        "url": ("sito_web", "collegamento", "URL"),
        "file_path": ("percorso_file", "allegato", "Percorso"),
        "job_title": ("professione", "mansione", "Ruolo"),
        "city": ("citta", "comune", "Localita"),
        "country": ("paese", "nazione", "Stato"),
        "slogan": ("slogan", "motto", "Frase"),
        "order_number": ("numero_ordine", "ordine", "NumOrdine"),
        "invalid_ssn": ("pratica", "riferimento", "Protocollo"),
        "voucher": ("buono", "codice_sconto", "Coupon"),
        "timestamp": ("creato_il", "data_ora", "Aggiornato"),
        "uuid": ("uuid", "id_richiesta", "Guid"),
        "licence_plate": ("targa", "targa_veicolo", "Targa"),
    },
    "pt": {
        "email": ("email", "endereco_email", "EMail"),
        "phone": ("telefone", "celular", "NumTelefone"),
        "person_name": ("nome_completo", "nome_cliente", "Nome"),
        "postal_address": ("endereco", "logradouro", "EnderecoEntrega"),
        "organisation": ("empresa", "razao_social", "Companhia"),
        "ip_address": ("endereco_ip", "ip_cliente", "IP"),
        "user_agent": ("navegador", "user_agent", "AgenteUsuario"),
        "government_id": ("cpf", "documento", "NumeroCPF"),
        "card_number": ("numero_cartao", "cartao_credito", "NumCartao"),
        "card_security_code": ("cvv", "codigo_seguranca", "CVC"),
        "date_of_birth": ("data_nascimento", "nascimento", "DataNasc"),
        "precise_location": ("localizacao", "coordenadas", "Geo"),
        "free_text": ("observacao", "comentario", "Mensagem"),
        "product_code": ("codigo_produto", "sku", "CodItem"),
        "hash": ("hash", "soma_verificacao", "Assinatura"),
        "price": ("preco", "valor", "PrecoUnitario"),
        "shipping_date": ("data_envio", "data_entrega", "Enviado"),
        "url": ("site", "link", "URL"),
        "file_path": ("caminho_arquivo", "anexo", "Caminho"),
        "job_title": ("profissao", "cargo", "Ocupacao"),
        "city": ("cidade", "municipio", "Cidade"),
        "country": ("pais", "pais_entrega", "Pais"),
        "slogan": ("slogan", "lema", "Frase"),
        "order_number": ("numero_pedido", "pedido", "NumPedido"),
        "invalid_ssn": ("protocolo", "referencia", "Processo"),
        "voucher": ("cupom", "vale_presente", "CodigoDesconto"),
        "timestamp": ("criado_em", "data_hora", "Atualizado"),
        "uuid": ("uuid", "id_requisicao", "Guid"),
        "licence_plate": ("placa", "placa_veiculo", "Placa"),
    },
    "nl": {
        "email": ("email", "emailadres", "EMail"),
        "phone": ("telefoon", "telefoonnummer", "Mobiel"),
        "person_name": ("volledige_naam", "klantnaam", "Naam"),
        "postal_address": ("adres", "postadres", "Afleveradres"),
        "organisation": ("bedrijf", "bedrijfsnaam", "Werkgever"),
        "ip_address": ("ip_adres", "client_ip", "IP"),
        "user_agent": ("browser", "user_agent", "Useragent"),
        "government_id": ("bsn", "burgerservicenummer", "BSN"),
        "card_number": ("kaartnummer", "creditcard", "Kaartnr"),
        "card_security_code": ("cvc", "beveiligingscode", "CVV"),
        "date_of_birth": ("geboortedatum", "geb_datum", "Geboortedatum"),
        "precise_location": ("locatie", "coordinaten", "GPS"),
        "free_text": ("opmerking", "notitie", "Bericht"),
        "product_code": ("artikelcode", "productcode", "SKU"),
        "hash": ("controlegetal", "hash", "Hashwaarde"),
        "price": ("prijs", "bedrag", "Stukprijs"),
        "shipping_date": ("verzenddatum", "leverdatum", "Verzonden"),
        "url": ("website", "link", "URL"),
        "file_path": ("bestandspad", "bijlage", "Pad"),
        "job_title": ("beroep", "functie", "Functie"),
        "city": ("plaats", "woonplaats", "Stad"),
        "country": ("land", "leverland", "Land"),
        "slogan": ("slogan", "motto", "Leus"),
        "order_number": ("bestelnummer", "ordernummer", "Bestelling"),
        "invalid_ssn": ("dossiernummer", "referentie", "Zaak"),
        "voucher": ("kortingscode", "cadeaubon", "Vouchercode"),
        "timestamp": ("aangemaakt_op", "tijdstempel", "Gewijzigd"),
        "uuid": ("uuid", "verzoek_id", "Guid"),
        "licence_plate": ("kenteken", "nummerplaat", "Kenteken"),
    },
    "pl": {
        "email": ("email", "adres_email", "EMail"),
        "phone": ("telefon", "nr_telefonu", "Komorka"),
        "person_name": ("imie_nazwisko", "nazwa_klienta", "ImieINazwisko"),
        "postal_address": ("adres", "adres_dostawy", "AdresKorespondencyjny"),
        "organisation": ("firma", "pracodawca", "NazwaFirmy"),
        "ip_address": ("adres_ip", "ip_klienta", "IP"),
        "user_agent": ("przegladarka", "user_agent", "AgentUzytkownika"),
        "government_id": ("pesel", "nr_pesel", "PESEL"),
        "card_number": ("numer_karty", "karta", "NrKarty"),
        "card_security_code": ("cvv", "kod_cvc", "KodBezpieczenstwa"),
        "date_of_birth": ("data_urodzenia", "urodzony", "DataUrodzenia"),
        "precise_location": ("lokalizacja", "wspolrzedne", "GPS"),
        "free_text": ("uwagi", "komentarz", "Wiadomosc"),
        "product_code": ("kod_produktu", "indeks", "SKU"),
        "hash": ("suma_kontrolna", "skrot", "Hash"),
        "price": ("cena", "kwota", "CenaJednostkowa"),
        "shipping_date": ("data_wysylki", "data_dostawy", "Wyslano"),
        "url": ("strona_www", "link", "URL"),
        "file_path": ("sciezka_pliku", "zalacznik", "Sciezka"),
        "job_title": ("zawod", "stanowisko", "Stanowisko"),
        "city": ("miasto", "miejscowosc", "Miasto"),
        "country": ("kraj", "kraj_dostawy", "Kraj"),
        "slogan": ("slogan", "haslo_reklamowe", "Motto"),
        "order_number": ("numer_zamowienia", "zamowienie", "NrZamowienia"),
        "invalid_ssn": ("sygnatura", "nr_sprawy", "Sprawa"),
        "voucher": ("kod_rabatowy", "bon", "KartaPodarunkowa"),
        "timestamp": ("utworzono", "znacznik_czasu", "Zmieniono"),
        "uuid": ("uuid", "id_zadania", "Guid"),
        "licence_plate": ("nr_rejestracyjny", "rejestracja", "TablicaRej"),
    },
    "sv": {
        "email": ("epost", "e_postadress", "Mejl"),
        "phone": ("telefon", "telefonnummer", "Mobilnr"),
        "person_name": ("fullstandigt_namn", "kundnamn", "Namn"),
        "postal_address": ("adress", "postadress", "Leveransadress"),
        "organisation": ("foretag", "arbetsgivare", "Foretagsnamn"),
        "ip_address": ("ip_adress", "klient_ip", "IP"),
        "user_agent": ("webblasare", "user_agent", "Anvandaragent"),
        "government_id": ("personnummer", "pnr", "Personnr"),
        "card_number": ("kortnummer", "kreditkort", "Kortnr"),
        "card_security_code": ("cvc", "sakerhetskod", "CVV"),
        "date_of_birth": ("fodelsedatum", "fodd", "Fodelsedag"),
        "precise_location": ("plats", "koordinater", "GPS"),
        "free_text": ("anteckning", "kommentar", "Meddelande"),
        "product_code": ("artikelnummer", "produktkod", "SKU"),
        "hash": ("kontrollsumma", "hash", "Hashvarde"),
        "price": ("pris", "belopp", "Styckpris"),
        "shipping_date": ("leveransdatum", "skickad", "Utskickad"),
        "url": ("webbplats", "lank", "URL"),
        "file_path": ("filsokvag", "bilaga", "Sokvag"),
        "job_title": ("yrke", "befattning", "Roll"),
        "city": ("stad", "ort", "Ort"),
        "country": ("land", "leveransland", "Land"),
        "slogan": ("slogan", "motto", "Devis"),
        "order_number": ("ordernummer", "bestallning", "OrderNr"),
        "invalid_ssn": ("arendenummer", "referens", "Diarienr"),
        "voucher": ("rabattkod", "presentkort", "Kupong"),
        "timestamp": ("skapad", "tidsstampel", "Andrad"),
        "uuid": ("uuid", "begaran_id", "Guid"),
        "licence_plate": ("registreringsnummer", "regnr", "Regnr"),
    },
    "ru": {
        "email": ("email", "электронная_почта", "почта"),
        "phone": ("телефон", "номер_телефона", "mobilnyi"),
        "person_name": ("фио", "клиент", "ФИО"),
        "postal_address": ("адрес", "почтовый_адрес", "adres_dostavki"),
        "organisation": ("организация", "компания", "работодатель"),
        "ip_address": ("ip_адрес", "ip", "IP"),
        "user_agent": ("user_agent", "браузер", "агент"),
        "government_id": ("инн", "снилс", "inn"),
        "card_number": ("номер_карты", "карта", "karta"),
        "card_security_code": ("cvv", "код_безопасности", "CVC"),
        "date_of_birth": ("дата_рождения", "рождение", "data_rozhdeniya"),
        "precise_location": ("координаты", "местоположение", "GPS"),
        "free_text": ("комментарий", "примечание", "soobshchenie"),
        "product_code": ("артикул", "код_товара", "SKU"),
        "hash": ("хеш", "контрольная_сумма", "hash"),
        "price": ("цена", "сумма", "tsena"),
        "shipping_date": ("дата_отправки", "дата_доставки", "otpravleno"),
        "url": ("сайт", "ссылка", "URL"),
        "file_path": ("путь_к_файлу", "вложение", "put"),
        "job_title": ("должность", "профессия", "dolzhnost"),
        "city": ("город", "населенный_пункт", "gorod"),
        "country": ("страна", "страна_доставки", "strana"),
        "slogan": ("слоган", "девиз", "lozung"),
        "order_number": ("номер_заказа", "заказ", "nomer_zakaza"),
        "invalid_ssn": ("номер_дела", "ссылка_на_дело", "delo"),
        "voucher": ("промокод", "купон", "kupon"),
        "timestamp": ("создано", "время_изменения", "sozdano"),
        "uuid": ("uuid", "id_запроса", "guid"),
        "licence_plate": ("госномер", "номер_авто", "gosnomer"),
    },
    "tr": {
        "email": ("eposta", "e_posta_adresi", "Email"),
        "phone": ("telefon", "cep_telefonu", "TelNo"),
        "person_name": ("ad_soyad", "musteri_adi", "AdSoyad"),
        "postal_address": ("adres", "teslimat_adresi", "Adres"),
        "organisation": ("sirket", "firma", "IsYeri"),
        "ip_address": ("ip_adresi", "istemci_ip", "IP"),
        "user_agent": ("tarayici", "user_agent", "KullaniciAjani"),
        "government_id": ("tc_kimlik_no", "tckn", "KimlikNo"),
        "card_number": ("kart_numarasi", "kredi_karti", "KartNo"),
        "card_security_code": ("cvv", "guvenlik_kodu", "CVC"),
        "date_of_birth": ("dogum_tarihi", "dogum", "DogumTarihi"),
        "precise_location": ("konum", "koordinat", "GPS"),
        "free_text": ("aciklama", "yorum", "Mesaj"),
        "product_code": ("urun_kodu", "stok_kodu", "SKU"),
        "hash": ("ozet", "hash", "Sagl"),
        "price": ("fiyat", "tutar", "BirimFiyat"),
        "shipping_date": ("gonderim_tarihi", "teslim_tarihi", "Gonderildi"),
        "url": ("web_sitesi", "baglanti", "URL"),
        "file_path": ("dosya_yolu", "ek", "Yol"),
        "job_title": ("meslek", "unvan", "Pozisyon"),
        "city": ("sehir", "il", "Sehir"),
        "country": ("ulke", "teslimat_ulkesi", "Ulke"),
        "slogan": ("slogan", "motto", "Soz"),
        "order_number": ("siparis_no", "siparis_numarasi", "Siparis"),
        "invalid_ssn": ("dosya_no", "referans", "Dava"),
        "voucher": ("indirim_kodu", "hediye_ceki", "Kupon"),
        "timestamp": ("olusturulma", "zaman_damgasi", "Guncelleme"),
        "uuid": ("uuid", "istek_id", "Guid"),
        "licence_plate": ("plaka", "arac_plakasi", "Plaka"),
    },
    "ja": {
        "email": ("メールアドレス", "email", "メール"),
        "phone": ("電話番号", "携帯番号", "tel"),
        "person_name": ("氏名", "顧客名", "名前"),
        "postal_address": ("住所", "配送先住所", "jusho"),
        "organisation": ("会社名", "勤務先", "企業"),
        "ip_address": ("ipアドレス", "接続元ip", "IP"),
        "user_agent": ("ユーザーエージェント", "user_agent", "ブラウザ"),
        "government_id": ("マイナンバー", "個人番号", "my_number"),
        "card_number": ("カード番号", "クレジットカード", "card_no"),
        "card_security_code": ("セキュリティコード", "cvv", "CVC"),
        "date_of_birth": ("生年月日", "誕生日", "birth_date"),
        "precise_location": ("位置情報", "座標", "GPS"),
        "free_text": ("備考", "コメント", "問い合わせ内容"),
        "product_code": ("商品コード", "品番", "SKU"),
        "hash": ("ハッシュ", "チェックサム", "hash"),
        "price": ("価格", "金額", "単価"),
        "shipping_date": ("発送日", "配送日", "出荷日"),
        "url": ("url", "ウェブサイト", "リンク"),
        "file_path": ("ファイルパス", "添付", "パス"),
        "job_title": ("職業", "役職", "職種"),
        "city": ("市区町村", "都市", "city"),
        "country": ("国", "配送先国", "国名"),
        "slogan": ("スローガン", "キャッチコピー", "標語"),
        "order_number": ("注文番号", "受注番号", "order_no"),
        "invalid_ssn": ("案件番号", "参照番号", "整理番号"),
        "voucher": ("クーポンコード", "ギフト券", "割引コード"),
        "timestamp": ("作成日時", "更新日時", "タイムスタンプ"),
        "uuid": ("uuid", "リクエストid", "guid"),
        "licence_plate": ("ナンバープレート", "車両番号", "登録番号"),
    },
    "zh": {
        "email": ("邮箱", "电子邮件", "email"),
        "phone": ("电话", "手机号", "联系电话"),
        "person_name": ("姓名", "客户姓名", "name"),
        "postal_address": ("地址", "收货地址", "住址"),
        "organisation": ("公司", "单位名称", "工作单位"),
        "ip_address": ("ip地址", "客户端ip", "IP"),
        "user_agent": ("用户代理", "浏览器", "user_agent"),
        "government_id": ("身份证号", "证件号码", "sfzh"),
        "card_number": ("卡号", "银行卡号", "信用卡"),
        "card_security_code": ("安全码", "cvv", "CVN"),
        "date_of_birth": ("出生日期", "生日", "birthday"),
        "precise_location": ("位置", "经纬度", "坐标"),
        "free_text": ("备注", "留言", "评论"),
        "product_code": ("商品编码", "货号", "SKU"),
        "hash": ("哈希", "校验和", "摘要"),
        "price": ("价格", "金额", "单价"),
        "shipping_date": ("发货日期", "配送日期", "出库日期"),
        "url": ("网址", "链接", "url"),
        "file_path": ("文件路径", "附件", "路径"),
        "job_title": ("职业", "职位", "岗位"),
        "city": ("城市", "所在城市", "city"),
        "country": ("国家", "收货国家", "国别"),
        "slogan": ("口号", "标语", "广告语"),
        "order_number": ("订单号", "订单编号", "order_no"),
        "invalid_ssn": ("案件编号", "参考号", "流水号"),
        "voucher": ("优惠码", "礼品卡", "兑换码"),
        "timestamp": ("创建时间", "更新时间", "时间戳"),
        "uuid": ("uuid", "请求id", "guid"),
        "licence_plate": ("车牌号", "车牌", "号牌"),
    },
    "ko": {
        "email": ("이메일", "전자우편", "email"),
        "phone": ("전화번호", "휴대폰", "연락처"),
        "person_name": ("이름", "고객명", "성명"),
        "postal_address": ("주소", "배송지", "거주지"),
        "organisation": ("회사명", "직장", "소속"),
        "ip_address": ("ip주소", "접속ip", "IP"),
        "user_agent": ("사용자에이전트", "브라우저", "user_agent"),
        "government_id": ("주민등록번호", "주민번호", "jumin"),
        "card_number": ("카드번호", "신용카드", "card_no"),
        "card_security_code": ("cvc", "보안코드", "CVV"),
        "date_of_birth": ("생년월일", "생일", "birth_date"),
        "precise_location": ("위치", "좌표", "GPS"),
        "free_text": ("비고", "메모", "문의내용"),
        "product_code": ("상품코드", "품번", "SKU"),
        "hash": ("해시", "체크섬", "hash"),
        "price": ("가격", "금액", "단가"),
        "shipping_date": ("배송일", "발송일", "출고일"),
        "url": ("url", "웹사이트", "링크"),
        "file_path": ("파일경로", "첨부파일", "경로"),
        "job_title": ("직업", "직책", "직무"),
        "city": ("도시", "시군구", "city"),
        "country": ("국가", "배송국가", "나라"),
        "slogan": ("슬로건", "캐치프레이즈", "표어"),
        "order_number": ("주문번호", "주문id", "order_no"),
        "invalid_ssn": ("사건번호", "참조번호", "접수번호"),
        "voucher": ("쿠폰코드", "상품권", "할인코드"),
        "timestamp": ("생성일시", "수정일시", "타임스탬프"),
        "uuid": ("uuid", "요청id", "guid"),
        "licence_plate": ("차량번호", "번호판", "차번"),
    },
}


@dataclass(frozen=True)
class Column:
    """One column of the corpus: its table, names in both modes, values and true category."""

    table: str
    kind: str  # a category of POSITIVES, or a look-alike of LOOK_ALIKES
    values: list[str]
    local_name: str | None  # None for held-out languages without local names

    @property
    def category(self) -> str | None:
        return self.kind if self.kind in POSITIVES else None


def _luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def _voucher(r: random.Random) -> str:
    body = str(r.choice([4, 5])) + "".join(str(r.randrange(10)) for _ in range(14))
    bad = (int(_luhn_digit(body)) + r.randrange(1, 10)) % 10
    s = body + str(bad)
    return r.choice([s, " ".join(s[i : i + 4] for i in range(0, 16, 4))])


def _invalid_ssn(r: random.Random) -> str:
    area = r.choice(["000", "666", f"9{r.randrange(10)}{r.randrange(10)}"])
    return f"{area}-{r.randrange(1, 100):02d}-{r.randrange(1, 10000):04d}"


def _free_text(sentence: Callable[[], str], pii: list[Callable[[], str]], r: random.Random) -> str:
    """Support messages; about a third quote contact or card data."""
    text = sentence()
    if r.random() < 0.35:
        text += " " + r.choice(["Contact:", "→", "-", "/"]) + " " + r.choice(pii)()
        if r.random() < 0.5:
            text += " " + sentence()
    return text


def _aadhaar(f: Any) -> str:
    """Faker's Aadhaar number with its check digit made right: Faker 40.63 computes it with
    Luhn, Aadhaar uses Verhoeff (so Faker's would fail the country's own check)."""
    from stdnum import verhoeff

    body = f.aadhaar_id()[:11]
    a = body + verhoeff.calc_check_digit(body)
    return a if f.random.random() < 0.5 else " ".join(a[i : i + 4] for i in (0, 4, 8))


#: Faker methods of a national id that the country itself would accept, per locale
FAKER_IDS: dict[str, Callable[[Any], str]] = {
    "en_US": lambda f: f.ssn(),
    "en_CA": lambda f: f.ssn(),
    "en_IN": _aadhaar,
    "fr_FR": lambda f: (
        lambda s: (
            s
            if f.random.random() < 0.5
            else " ".join((s[0], s[1:3], s[3:5], s[5:7], s[7:10], s[10:13], s[13:]))
        )
    )(f.ssn()),
    "es_ES": lambda f: f.random.choice([f.nif, f.nie])(),
    "it_IT": lambda f: f.ssn(),
    "pt_BR": lambda f: f.cpf(),
    "nl_NL": lambda f: f.ssn(),
    "pl_PL": lambda f: f.pesel(),
    "sv_SE": lambda f: f.ssn(),
    "ru_RU": lambda f: f.individuals_inn(),
    "tr_TR": lambda f: f.ssn(),
    "zh_CN": lambda f: f.ssn(),
    "ko_KR": lambda f: f.ssn(),
    "cs_CZ": lambda f: f.birth_number(),
    "uk_UA": lambda f: f.ssn(),
    "fi_FI": lambda f: f.ssn(),
    "ro_RO": lambda f: f.ssn(),
    "el_GR": lambda f: f.ssn(),
    "de_AT": lambda f: f.ssn(),
    "es_MX": lambda f: f.curp(),
}

#: date formats a local table writes dates in (ISO in half the tables)
DATE_FORMATS = {
    "en": "%m/%d/%Y",
    "de": "%d.%m.%Y",
    "fr": "%d/%m/%Y",
    "es": "%d/%m/%Y",
    "it": "%d/%m/%Y",
    "pt": "%d/%m/%Y",
    "nl": "%d-%m-%Y",
    "pl": "%d.%m.%Y",
    "sv": "%Y-%m-%d",
    "ru": "%d.%m.%Y",
    "tr": "%d.%m.%Y",
    "ja": "%Y/%m/%d",
    "zh": "%Y-%m-%d",
    "ko": "%Y.%m.%d",
}


def _faker_table(locale: str, lang: str, seed: int) -> dict[str, list[str]]:
    from faker import Faker

    f = Faker(locale)
    f.seed_instance(seed)
    r = random.Random(seed)
    fmt = DATE_FORMATS.get(lang, "%Y-%m-%d") if r.random() < 0.5 else "%Y-%m-%d"
    today = date(2026, 11, 26)

    def many(fn: Callable[[], Any]) -> list[str]:
        return [str(fn()) for _ in range(VALUES)]

    def catch_phrase() -> str:
        try:
            return f.catch_phrase()
        except AttributeError:
            return f.sentence()

    out: dict[str, list[str]] = {
        "email": many(f.email),
        "phone": many(f.phone_number),
        "person_name": many(f.name),
        "postal_address": many(f.address),
        "organisation": many(f.company),
        "ip_address": many(lambda: f.ipv4() if r.random() < 0.7 else f.ipv6()),
        "user_agent": many(f.user_agent),
        "card_number": many(f.credit_card_number),
        "card_security_code": many(f.credit_card_security_code),
        "date_of_birth": many(
            lambda: f.date_of_birth(minimum_age=14, maximum_age=90).strftime(fmt)
        ),
        "precise_location": many(lambda: f"{f.latitude():.6f}, {f.longitude():.6f}"),
        "free_text": many(
            lambda: _free_text(f.sentence, [f.email, f.phone_number, f.credit_card_number], r)
        ),
        "product_code": many(lambda: f.bothify("??-####-?#").upper()),
        "hash": many(lambda: r.choice([f.sha1, f.md5, f.sha256])()),
        "price": many(lambda: f"{r.uniform(0.5, 2000):.2f}"),
        "shipping_date": many(
            lambda: (today - timedelta(days=r.randrange(-20, 400))).strftime(fmt)
        ),
        "url": many(lambda: r.choice([f.url, f.uri])()),
        "file_path": many(f.file_path),
        "job_title": many(f.job),
        "city": many(f.city),
        "country": many(f.country),
        "slogan": many(catch_phrase),
        "order_number": many(lambda: f.numerify("##########")),
        "invalid_ssn": many(lambda: _invalid_ssn(r)),
        "voucher": many(lambda: _voucher(r)),
        "timestamp": many(lambda: f.date_time_between("-3y").isoformat(sep=r.choice("T "))),
        "uuid": many(lambda: str(uuid.UUID(int=r.getrandbits(128), version=4))),
        "licence_plate": many(f.license_plate),
    }
    if locale in FAKER_IDS:
        out["government_id"] = many(lambda: FAKER_IDS[locale](f))
    return out


def _mimesis_table(locale: str, lang: str, seed: int) -> dict[str, list[str]]:
    from mimesis import (
        Address,
        Code,
        Cryptographic,
        Datetime,
        Finance,
        Internet,
        Path,
        Payment,
        Person,
        Text,
        Transport,
    )
    from mimesis.locales import Locale

    loc = Locale(locale)
    p, a, fi, t = (
        Person(loc, seed=seed),
        Address(loc, seed=seed),
        Finance(loc, seed=seed),
        Text(loc, seed=seed),
    )
    net, pay, dt = Internet(seed=seed), Payment(seed=seed), Datetime(loc, seed=seed)
    code, crypto, path = Code(seed=seed), Cryptographic(seed=seed), Path(seed=seed)
    transport = Transport(seed=seed)  # registration codes of countries, for plates
    r = random.Random(seed)
    fmt = DATE_FORMATS.get(lang, "%Y-%m-%d") if r.random() < 0.5 else "%Y-%m-%d"
    today = date(2026, 11, 26)

    def many(fn: Callable[[], Any]) -> list[str]:
        return [str(fn()) for _ in range(VALUES)]

    def address() -> str:
        style = r.randrange(3)
        if style == 0:
            return f"{a.address()}, {a.postal_code()} {a.city()}"
        if style == 1:
            return f"{a.address()}\n{a.postal_code()} {a.city()}"
        return a.address()

    def born() -> str:
        return (today - timedelta(days=r.randrange(14 * 366, 90 * 365))).strftime(fmt)

    return {
        "email": many(p.email),
        "phone": many(p.phone_number),
        "person_name": many(p.full_name),
        "postal_address": many(address),
        "organisation": many(lambda: f"{fi.company()}"),
        "ip_address": many(lambda: net.ip_v4() if r.random() < 0.7 else net.ip_v6()),
        "user_agent": many(net.user_agent),
        "card_number": many(pay.credit_card_number),
        "card_security_code": many(pay.cvv),
        "date_of_birth": many(born),
        "precise_location": many(lambda: f"{a.latitude():.6f}, {a.longitude():.6f}"),
        "free_text": many(lambda: _free_text(t.sentence, [p.email, p.phone_number], r)),
        "product_code": many(lambda: r.choice([code.ean, code.isbn, code.issn])()),
        "hash": many(crypto.hash),
        "price": many(lambda: f"{fi.price(1, 2000):.2f}"),
        "shipping_date": many(
            lambda: (today - timedelta(days=r.randrange(-20, 400))).strftime(fmt)
        ),
        "url": many(net.url),
        "file_path": many(path.project_dir),
        "job_title": many(p.occupation),
        "city": many(a.city),
        "country": many(a.country),
        "slogan": many(t.quote),
        "order_number": many(lambda: str(r.randrange(10**9, 10**10))),
        "invalid_ssn": many(lambda: _invalid_ssn(r)),
        "voucher": many(lambda: _voucher(r)),
        "timestamp": many(lambda: dt.datetime().isoformat()),
        "uuid": many(crypto.uuid),
        "licence_plate": many(
            lambda: (
                transport.vehicle_registration_code()
                + "-"
                + "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
                + " "
                + str(r.randrange(10, 9999))
            )
        ),
    }


#: Look-alikes of the held-out set only, never looked at while tuning: things that read like
#: names, addresses, phone numbers or ids but are none.
MORE_LOOK_ALIKES = (
    "title",
    "product_name",
    "hex_colour",
    "version",
    "ticket_number",
    "iban",
    "isbn",
    "street_name",
    "postcode",
    "invoice_number",
    "mac_address",
    "quantity",
    "binomial",
    "time_of_day",
)


def _more_look_alikes(locale: str, seed: int) -> dict[str, list[str]]:
    from faker import Faker

    f = Faker(locale)
    f.seed_instance(seed)
    r = random.Random(seed)

    def many(fn: Callable[[], Any]) -> list[str]:
        return [str(fn()) for _ in range(VALUES)]

    return {
        "title": many(lambda: f.sentence(nb_words=r.randrange(2, 5)).rstrip(".").title()),
        "product_name": many(
            lambda: f"{f.word().title()} {r.choice(['Pro', 'Max', 'Mini', 'Plus', 'One', 'X'])}"
        ),
        "hex_colour": many(f.hex_color),
        "version": many(lambda: f"v{r.randrange(10)}.{r.randrange(30)}.{r.randrange(100)}"),
        "ticket_number": many(lambda: f.numerify("###-###-####")),
        "iban": many(f.iban),
        "isbn": many(f.isbn13),
        "street_name": many(f.street_name),
        "postcode": many(f.postcode),
        "invoice_number": many(lambda: f"INV-{r.randrange(2019, 2027)}-{r.randrange(10**6):06d}"),
        "mac_address": many(f.mac_address),
        "quantity": many(lambda: f"{r.randrange(1, 500)} {r.choice(['kg', 'g', 'pcs', 'm', 'l'])}"),
        "binomial": many(lambda: f"{f.last_name()}ia {f.word().lower()}us"),
        "time_of_day": many(lambda: f.time(pattern=r.choice(["%H:%M", "%H:%M:%S"]))),
    }


def tables(held_out: bool = False, seed: int = 1) -> list[list[Column]]:
    """Every table of the corpus (the held-out locales when asked)."""
    plan: list[tuple[str, str, str]] = (
        list(HELD_OUT)
        if held_out
        else [("faker", loc, lang) for loc, (lang, _) in LOCALES.items()]
        + [("mimesis", m, lang) for _, (lang, m) in LOCALES.items() if m]
    )
    out = []
    for n, (gen, locale, lang) in enumerate(plan):
        make = _faker_table if gen == "faker" else _mimesis_table
        data = make(locale, lang, seed + n)
        names = LOCAL.get(lang)
        r = random.Random(seed * 1000 + n)
        table = f"{gen}:{locale}"
        out.append(
            [
                Column(table, kind, vals, r.choice(names[kind]) if names else None)
                for kind, vals in data.items()
            ]
        )
    if held_out:  # more look-alikes, in four locales
        for n, locale in enumerate(("en_US", "de_DE", "fr_FR", "ja_JP")):
            data = _more_look_alikes(locale, seed + 100 + n)
            out.append([Column(f"look-alikes:{locale}", k, v, None) for k, v in data.items()])
    return out
