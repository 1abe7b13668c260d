"""Value and column-name detectors for the inventory, built on the field's libraries and data.

- :mod:`.text`: scripts, folding of case and accents, words of a column name;
- :mod:`.hints`: the category a column's name suggests, in many languages (``data/name_hints.yml``);
- :mod:`.regions`: the countries a dataset's values point to (phone country codes, scripts,
  e-mail country domains), beside the config's ``regions``;
- :mod:`.phones`: phone numbers, international or in the national format of a region
  (``phonenumbers``);
- :mod:`.ids`: national ids that ``python-stdnum`` validates, in the formats people write;
- :mod:`.names`: person names in every script (``data/names.tsv.gz``, ``data/names.yml``);
- :mod:`.addresses`: postal addresses by street words and administrative markers of many
  languages (``data/addresses.yml``);
- :mod:`.agents`: browser and client user agents (``ua-parser``).
"""
