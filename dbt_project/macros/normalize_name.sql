{#- Names compared across feeds: every white space removed (inside too, incl. the ideographic
    space), full-width ASCII (U+FF01-U+FF5E, e.g. （）, Ａ, １) turned half-width, and traditional
    characters turned simplified with the seed traditional_simplified_characters (OpenCC's
    TSCharacters). Letters keep their case. Null stays null.

    DuckDB's translate() costs time in proportion to the length of its character set for every
    row (measured on 1.4M names: 568 s against the 3,200 traditional characters), so each mapping
    runs only on the names that hold one of its characters, found by a regular-expression
    character class that RE2 compiles once; and the two mappings are separate, because full-width
    brackets are common ((有限合伙) partnerships) and must not pay for the traditional set. 1.4M
    names with 10% full-width and 0.1% traditional: 3.6 s (one combined translate: 31 s). -#}
{% macro normalize_name(expression) -%}
    {%- set mapping = namespace(full_width='', half_width='', traditional='', simplified='') -%}
    {%- do load_name_character_mapping(mapping) -%}
    {%- set stripped = remove_whitespace(expression) -%}
    {%- set half_width -%}
        case
            when regexp_matches({{ stripped }}, '[\x{FF01}-\x{FF5E}]')
                then translate({{ stripped }}, '{{ mapping.full_width }}', '{{ mapping.half_width }}')
            else {{ stripped }}
        end
    {%- endset -%}
    {%- if mapping.traditional %}
    case
        when regexp_matches({{ stripped }}, '[{{ mapping.traditional }}]')
            then translate({{ half_width }}, '{{ mapping.traditional }}', '{{ mapping.simplified }}')
        else {{ half_width }}
    end
    {%- else %}
    {{ half_width }}
    {%- endif %}
{%- endmacro %}


{#- Fills the namespace `mapping` with the character mappings of normalize_name() as
    SQL-literal-safe text, each pair of the same length, position by position: full_width ->
    half_width (U+FF01-U+FF5E -> U+0021-U+007E) and traditional -> simplified (the seed; empty
    when not executing, e.g. under sqlfluff). It fills a namespace rather than returning a dict
    because sqlfluff's jinja templater, which lints the models, mishandles return() from a
    macro called by a macro.

    The traditional -> simplified pairs are read from the seed at compile time (run_query), so
    the SQL carries them as literals; ref() keeps the seed upstream of every model that
    normalises names. The query names the seed's table itself, found in the graph, rather than
    ref()'s result: a unit test resolves ref() only to its given inputs, so there ref() is not
    called and the seed is read from the warehouse (dbt build builds it before the unit tests
    of the models downstream of it; `dbt seed` first if unit tests run alone). -#}
{% macro load_name_character_mapping(mapping) -%}
    {%- if model is not defined or model.resource_type != 'unit_test' -%}
        {%- set seed_relation = ref('traditional_simplified_characters') -%}
    {%- endif -%}
    {%- set full_width = '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～' -%}
    {%- set half_width = '!"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~' -%}
    {%- set ns = namespace(traditional='', simplified='') -%}
    {%- if execute -%}
        {%- set seed_nodes = (graph.nodes or {}).values()
            | selectattr('resource_type', 'equalto', 'seed')
            | selectattr('name', 'equalto', 'traditional_simplified_characters')
            | list -%}
        {#- A unit test's context has an empty graph: the seed is then where dbt puts a seed
            without a schema of its own, the target schema. -#}
        {%- set seed_location = seed_nodes[0] if seed_nodes else {
            'database': target.database,
            'schema': target.schema,
            'alias': 'traditional_simplified_characters',
        } -%}
        {%- set seed_table = adapter.get_relation(
            database=seed_location.database,
            schema=seed_location.schema,
            identifier=seed_location.alias
        ) -%}
        {%- if seed_table is none -%}
            {{ exceptions.raise_compiler_error(
                "normalize_name: seed traditional_simplified_characters is not built; run dbt seed"
            ) }}
        {%- endif -%}
        {%- set pairs = run_query(
            "select traditional_character, simplified_character from " ~ seed_table
            ~ " order by traditional_character"
        ) -%}
        {%- for row in pairs.rows -%}
            {%- if row[0] | length != 1 or row[1] | length != 1 -%}
                {{ exceptions.raise_compiler_error(
                    "traditional_simplified_characters: not one character each: " ~ row[0] ~ ", " ~ row[1]
                ) }}
            {%- endif -%}
            {%- set ns.traditional = ns.traditional ~ row[0] -%}
            {%- set ns.simplified = ns.simplified ~ row[1] -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set mapping.full_width = full_width -%}
    {%- set mapping.half_width = half_width | replace("'", "''") -%}
    {%- set mapping.traditional = ns.traditional -%}
    {%- set mapping.simplified = ns.simplified -%}
{%- endmacro %}
