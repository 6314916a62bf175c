fn main() {
    docbao::start();
}
