package com.meridianreview.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsic functions to the values the local resources have: table and
 * bucket names, ARNs in the emulators' account, parameter defaults and pseudo parameters.
 */
final class Intrinsics {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]*)}");

    private final Map<String, Object> refs;
    private final Map<String, Map<String, Object>> attributes;
    private final Map<String, Object> conditions;
    private final Map<String, Object> mappings;

    Intrinsics(Map<String, Object> refs, Map<String, Map<String, Object>> attributes, Map<String, Object> conditions, Map<String, Object> mappings) {
        this.refs = refs;
        this.attributes = attributes;
        this.conditions = conditions;
        this.mappings = mappings;
    }

    /** Resolves every intrinsic inside {@code value}, returning plain strings, lists and maps. */
    Object resolve(Object value, String where) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                String key = String.valueOf(only.getKey());
                if (key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition") && !(only.getValue() instanceof Map)) {
                    if (key.equals("Condition")) {
                        return condition(String.valueOf(only.getValue()), where);
                    }
                    return function(key, only.getValue(), where);
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object item = resolve(entry.getValue(), where);
                // a property that resolves to AWS::NoValue is removed, as CloudFormation does
                if (item != null || entry.getValue() == null) {
                    resolved.put(String.valueOf(entry.getKey()), item);
                }
            }
            return resolved;
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (Object item : list) {
                Object element = resolve(item, where);
                // so is a list element that resolves to AWS::NoValue
                if (element != null || item == null) {
                    resolved.add(element);
                }
            }
            return resolved;
        }
        return value;
    }

    String resolveString(Object value, String where) {
        Object resolved = resolve(value, where);
        if (resolved instanceof Map || resolved instanceof List) {
            throw new TemplateException(where + ": expected a text value, got " + resolved);
        }
        return resolved == null ? null : String.valueOf(resolved);
    }

    private Object function(String name, Object argument, String where) {
        switch (name) {
            case "Ref":
                return ref(String.valueOf(argument), where);
            case "Fn::GetAtt": {
                List<?> parts = argument instanceof List<?> list ? list : List.of(String.valueOf(argument).split("\\.", 2));
                if (parts.size() != 2) {
                    throw new TemplateException(where + ": Fn::GetAtt needs Resource.Attribute, got " + argument);
                }
                return attribute(String.valueOf(parts.get(0)), resolveString(parts.get(1), where), where);
            }
            case "Fn::Sub":
                return sub(argument, where);
            case "Fn::Join": {
                List<?> args = list(argument, 2, name, where);
                List<String> parts = new ArrayList<>();
                for (Object item : resolvedList(args.get(1), name, where)) {
                    if (item instanceof Map || item instanceof List) {
                        throw new TemplateException(where + ": Fn::Join joins text values, got " + item);
                    }
                    parts.add(String.valueOf(item));
                }
                return String.join(String.valueOf(args.get(0)), parts);
            }
            case "Fn::Select": {
                List<?> args = list(argument, 2, name, where);
                String index = resolveString(args.get(0), where);
                List<?> items = resolvedList(args.get(1), name, where);
                if (index == null || !index.matches("[0-9]{1,9}") || Integer.parseInt(index) >= items.size()) {
                    throw new TemplateException(where + ": Fn::Select index " + index + " is not within the list " + items);
                }
                return items.get(Integer.parseInt(index));
            }
            case "Fn::Split": {
                List<?> args = list(argument, 2, name, where);
                return List.of(resolveString(args.get(1), where).split(Pattern.quote(String.valueOf(args.get(0))), -1));
            }
            case "Fn::If": {
                List<?> args = list(argument, 3, name, where);
                return condition(String.valueOf(args.get(0)), where) ? resolve(args.get(1), where) : resolve(args.get(2), where);
            }
            case "Fn::Equals": {
                List<?> args = list(argument, 2, name, where);
                return String.valueOf(resolve(args.get(0), where)).equals(String.valueOf(resolve(args.get(1), where)));
            }
            case "Fn::Not":
                return !truth(list(argument, 1, name, where).get(0), where);
            case "Fn::And":
                return list(argument, 2, name, where).stream().allMatch(item -> truth(item, where));
            case "Fn::Or":
                return list(argument, 2, name, where).stream().anyMatch(item -> truth(item, where));
            case "Fn::FindInMap": {
                List<?> args = list(argument, 3, name, where);
                List<String> keys = java.util.Arrays.asList(resolveString(args.get(0), where), resolveString(args.get(1), where), resolveString(args.get(2), where));
                Object top = mappings.get(keys.get(0));
                Object second = top instanceof Map<?, ?> m ? m.get(keys.get(1)) : null;
                Object value = second instanceof Map<?, ?> m ? m.get(keys.get(2)) : null;
                if (value == null) {
                    throw new TemplateException(where + ": Fn::FindInMap found nothing for " + keys);
                }
                return value;
            }
            case "Fn::Base64":
                return java.util.Base64.getEncoder().encodeToString(resolveString(argument, where).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default:
                throw new TemplateException(where + ": the local runner does not support " + name);
        }
    }

    private boolean truth(Object value, String where) {
        Object resolved = resolve(value, where);
        return Boolean.TRUE.equals(resolved) || "true".equals(String.valueOf(resolved));
    }

    private boolean condition(String name, String where) {
        if (!conditions.containsKey(name)) {
            throw new TemplateException(where + ": no condition named " + name);
        }
        return truth(conditions.get(name), where);
    }

    private Object ref(String name, String where) {
        if (!refs.containsKey(name)) {
            throw new TemplateException(where + ": !Ref " + name + " names no parameter or resource in the template");
        }
        return refs.get(name);
    }

    private Object attribute(String resource, String attribute, String where) {
        Map<String, Object> known = attributes.get(resource);
        if (known == null) {
            throw new TemplateException(where + ": !GetAtt " + resource + "." + attribute + " names no resource in the template");
        }
        Object value = known.get(attribute);
        if (value == null) {
            // Attributes the runner has no local meaning for still resolve, visibly.
            return "local:" + resource + "." + attribute;
        }
        return value;
    }

    private String sub(Object argument, String where) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> list) {
            text = String.valueOf(list.get(0));
            if (list.size() > 1 && list.get(1) instanceof Map<?, ?> vars) {
                Map<String, Object> resolved = new LinkedHashMap<>();
                vars.forEach((k, v) -> resolved.put(String.valueOf(k), resolve(v, where)));
                variables = resolved;
            }
        } else {
            text = String.valueOf(argument);
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(2).trim();
            Object value;
            if (!matcher.group(1).isEmpty()) {
                // ${!Literal} stands for the text ${Literal}
                value = "${" + matcher.group(2) + "}";
            } else if (variables.containsKey(variable)) {
                value = variables.get(variable);
            } else if (variable.contains(".") && !refs.containsKey(variable)) {
                int dot = variable.indexOf('.');
                value = attribute(variable.substring(0, dot), variable.substring(dot + 1), where);
            } else {
                value = ref(variable, where);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private List<?> resolvedList(Object argument, String name, String where) {
        Object resolved = resolve(argument, where);
        if (!(resolved instanceof List<?> list)) {
            throw new TemplateException(where + ": " + name + " needs a list of values, got " + resolved);
        }
        return list;
    }

    private static List<?> list(Object argument, int size, String name, String where) {
        if (!(argument instanceof List<?> list) || list.size() < size) {
            throw new TemplateException(where + ": " + name + " needs a list of " + size);
        }
        return list;
    }
}
