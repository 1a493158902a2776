{{ stage_regulation_list_events(source('regulation', 'serious_illegal')) }}
