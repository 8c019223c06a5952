fn main() {
    println!("pylayout: work in progress");
}
