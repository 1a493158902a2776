{#- The part of a normalised name (normalize_name()) that every spelling of one firm's name
    shares: the place prefix 北京 / 北京市 and a Beijing district after it (北京市海淀区 of
    individual businesses) removed, the region tag (北京) removed wherever it stands, and the
    company form 有限责任公司 written as its equivalent 有限公司. Two firms can share a key (北京
    X科技有限公司 and X科技有限责任公司 are both registrable), so a key that matches more than one
    enterprise never decides a link on its own. -#}
{% macro name_match_key(normalized_name) -%}
    replace(
        replace(
            regexp_replace(
                {{ normalized_name }},
                '^北京市?((东城|西城|朝阳|丰台|石景山|海淀|门头沟|房山|通州|顺义|昌平|大兴|怀柔|平谷|密云|延庆)区)?',
                ''
            ),
            '(北京)',
            ''
        ),
        '有限责任公司',
        '有限公司'
    )
{%- endmacro %}


{#- The legal or organisational form that ends a normalised name (the region tag (北京) after it
    ignored): 分公司 before 有限公司 so that a branch is told from its parent; null when the name
    ends in none of them (a trade name alone). -#}
{% macro company_form(normalized_name) -%}
    nullif(
        regexp_extract(
            replace({{ normalized_name }}, '(北京)', ''),
            '(分公司|分行|支行|股份有限公司|有限责任公司|有限公司|\(有限合伙\)|\(普通合伙\)|中心|工作室|事务所|研究院|店|部|厂)$'
        ),
        ''
    )
{%- endmacro %}
