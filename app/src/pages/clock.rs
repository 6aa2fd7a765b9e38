//! Times in the reader's own time zone. The server writes each time in UTC, as
//! `<time datetime="…Z" data-local>2026-11-26 06:27 UTC</time>`, so the page is right without
//! JavaScript; once an island on the page hydrates, every such element is rewritten with the
//! browser's zone and locale, the UTC kept in its tooltip.

use leptos::prelude::document;
use wasm_bindgen::{JsCast, JsValue};

pub fn localise_times() {
    let Ok(list) = document().query_selector_all("time[data-local][datetime$='Z']") else {
        return;
    };
    let options = js_sys::Object::new();
    for (key, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    for i in 0..list.length() {
        let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let Some(iso) = el.get_attribute("datetime") else {
            continue;
        };
        let date = js_sys::Date::new(&JsValue::from_str(&iso));
        if date.get_time().is_nan() {
            continue;
        }
        // "default": the browser's own locale.
        let local: String = date.to_locale_string("default", &options).into();
        let _ = el.set_attribute("title", &el.text_content().unwrap_or_default());
        el.set_text_content(Some(&local));
    }
}
