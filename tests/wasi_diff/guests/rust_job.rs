// A small Rust job through Rust's std for wasm32-wasi: arguments, environment, stdin, files and
// directories under a preopen, and an exit code. argv[1] is the preopen's guest path.
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, BufRead, Write};
use std::process;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    println!("args: {:?}", &args[1..]);
    let mut vars: Vec<(String, String)> = std::env::vars().collect();
    vars.sort();
    println!("env: {:?}", vars);
    let root = args.get(1).cloned().unwrap_or_else(|| "/sandbox".to_string());

    // Word count of stdin.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut lines = 0;
    for line in io::stdin().lock().lines() {
        let line = line.expect("stdin");
        lines += 1;
        for word in line.split_whitespace() {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
    }
    println!("lines: {}, distinct words: {}", lines, counts.len());

    // Results under <root>/out.
    let out = format!("{}/out", root);
    fs::create_dir_all(format!("{}/nested/deeper", out)).expect("create_dir_all");
    let mut file = fs::File::create(format!("{}/counts.txt", out)).expect("create");
    for (word, n) in &counts {
        writeln!(file, "{} {}", word, n).expect("write");
    }
    drop(file);
    fs::write(format!("{}/nested/note.txt", out), b"from rust\n").expect("write note");
    fs::rename(format!("{}/nested/note.txt", out), format!("{}/note.txt", out)).expect("rename");
    fs::remove_dir(format!("{}/nested/deeper", out)).expect("remove_dir");
    let meta = fs::metadata(format!("{}/counts.txt", out)).expect("metadata");
    println!("counts.txt: {} bytes, file: {}", meta.len(), meta.is_file());

    let mut names: Vec<String> = fs::read_dir(&out)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    println!("out: {:?}", names);
    println!("input: {:?}", fs::read_to_string(format!("{}/input.txt", root)).expect("read input"));

    match fs::read_to_string(format!("{}/missing.txt", root)) {
        Ok(_) => println!("missing.txt exists?"),
        Err(e) => println!("missing.txt: {:?}", e.kind()),
    }
    eprintln!("done, exiting with 3");
    process::exit(3);
}
